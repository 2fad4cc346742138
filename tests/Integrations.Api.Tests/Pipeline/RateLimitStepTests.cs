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

    [Theory]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64")]
    [InlineData("192.0.2.7", "192.0.2.7")]
    [InlineData("::ffff:192.0.2.7", "::ffff:192.0.2.7")]
    [InlineData("unknown", "unknown")]
    public void BucketOf_IPv6CountsPerSlash64_IPv4PerAddress(string source, string bucket)
    {
        Assert.Equal(bucket, RateLimitStep.BucketOf(source));
    }

    [Fact]
    public void Failures_RotatingThroughOneIPv6Slash64_ShareOneBudget()
    {
        using var step = Step();

        var counted = Enumerable.Range(1, 3).Select(i => step.TryCountFailure($"2001:db8:1:2::{i:x}", out _)).ToList();

        Assert.Equal([true, true, false], counted);
        Assert.False(step.MayLookUpCredentials("2001:db8:1:2::99"));
        Assert.True(step.MayLookUpCredentials("2001:db8:1:3::1"));
    }
}
