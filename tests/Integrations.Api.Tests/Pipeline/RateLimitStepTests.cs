using Integrations.Api.Pipeline;
using Integrations.Api.Routing;
using Integrations.Core.Identity;
using Microsoft.Extensions.Options;

namespace Integrations.Api.Tests.Pipeline;

public sealed class RateLimitStepTests
{
    private static Caller Key(string id) => new(CallerKind.ApiKey, id, "org_x", new HashSet<string>(StringComparer.Ordinal));

    private static RateLimitStep Step(Action<RateLimitOptions>? configure = null)
    {
        var options = new RateLimitOptions { PerCredentialPerMinute = 3, FailedAuthenticationsPerMinute = 2 };
        configure?.Invoke(options);
        return new RateLimitStep(Options.Create(options));
    }

    [Fact]
    public void TryAcquire_PastThePolicyLimit_RefusesWithAWaitWithinTheWindow()
    {
        using var step = Step();
        var caller = Key("key_a");

        var admitted = Enumerable.Range(0, 3).Select(_ => step.TryAcquire(RateLimitPolicies.Standard, caller, out TimeSpan _)).ToList();
        var refused = step.TryAcquire(RateLimitPolicies.Standard, caller, out var retryAfter);

        Assert.All(admitted, Assert.True);
        Assert.False(refused);
        Assert.InRange(retryAfter, TimeSpan.FromTicks(1), TimeSpan.FromMinutes(1));
    }

    [Fact]
    public void TryAcquire_CountsEachCredentialSeparately()
    {
        using var step = Step();
        for (var i = 0; i < 3; i++)
        {
            step.TryAcquire(RateLimitPolicies.Standard, Key("key_a"), out _);
        }

        Assert.False(step.TryAcquire(RateLimitPolicies.Standard, Key("key_a"), out _));
        Assert.True(step.TryAcquire(RateLimitPolicies.Standard, Key("key_b"), out _));
    }

    [Fact]
    public void TryAcquire_NamedPolicy_UsesItsOwnLimit_AndNoneIsNeverLimited()
    {
        using var step = Step(o => o.Policies["strict"] = 1);
        var caller = Key("key_a");

        Assert.True(step.TryAcquire("strict", caller, out _));
        Assert.False(step.TryAcquire("strict", caller, out _));
        Assert.True(step.TryAcquire(RateLimitPolicies.Standard, caller, out _));
        Assert.All(Enumerable.Range(0, 50), _ => Assert.True(step.TryAcquire(RateLimitPolicies.None, caller, out TimeSpan _)));
    }

    [Fact]
    public void Failures_PastTheLimit_AreRefused_AndStopCredentialLookupsForThatAddressOnly()
    {
        using var step = Step();

        Assert.True(step.MayLookUpCredentials("10.1.1.1"));
        Assert.True(step.TryCountFailure("10.1.1.1", out _));
        Assert.True(step.TryCountFailure("10.1.1.1", out _));
        var thirdCounted = step.TryCountFailure("10.1.1.1", out var retryAfter);

        Assert.False(thirdCounted);
        Assert.InRange(retryAfter, TimeSpan.FromTicks(1), TimeSpan.FromMinutes(1));
        Assert.False(step.MayLookUpCredentials("10.1.1.1"));
        Assert.True(step.MayLookUpCredentials("10.2.2.2"));
    }
}
