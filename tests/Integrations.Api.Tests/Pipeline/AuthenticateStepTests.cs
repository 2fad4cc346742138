using Integrations.Api.Pipeline;
using Integrations.Core.Identity;
using Microsoft.AspNetCore.Http;

namespace Integrations.Api.Tests.Pipeline;

public sealed class AuthenticateStepTests
{
    private sealed class Fixed(AuthenticationOutcome? outcome) : IRequestAuthenticator
    {
        public List<bool> Calls { get; } = [];

        public ValueTask<AuthenticationOutcome?> AuthenticateAsync(HttpContext context, bool allowStorageLookup, CancellationToken cancellationToken = default)
        {
            Calls.Add(allowStorageLookup);
            return ValueTask.FromResult(outcome);
        }
    }

    private static readonly Caller Someone = new(CallerKind.ApiKey, "key_a", "org_a", new HashSet<string>(StringComparer.Ordinal));

    [Fact]
    public async Task RunAsync_FirstAuthenticatorThatRecognisesTheCredentialDecides()
    {
        var notMine = new Fixed(null);
        var mine = new Fixed(AuthenticationOutcome.Success(Someone));
        var never = new Fixed(AuthenticationOutcome.Refused(AuthenticationFailure.Unknown, "x"));
        var step = new AuthenticateStep([notMine, mine, never]);

        var outcome = await step.RunAsync(new DefaultHttpContext(), allowStorageLookup: false);

        Assert.Same(Someone, outcome.Caller);
        Assert.Equal([false], notMine.Calls);
        Assert.Equal([false], mine.Calls);
        Assert.Empty(never.Calls);
    }

    [Fact]
    public async Task RunAsync_NoAuthenticatorRecognisesTheRequest_IsAMissingCredential()
    {
        var step = new AuthenticateStep([new Fixed(null)]);

        var outcome = await step.RunAsync(new DefaultHttpContext(), allowStorageLookup: true);

        Assert.Null(outcome.Caller);
        Assert.Equal(AuthenticationFailure.Missing, outcome.Failure);
        Assert.Null(outcome.PresentedCredential);
    }
}
