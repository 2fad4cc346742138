using System.Collections.Concurrent;
using Integrations.Core.Identity.Lockout;
using Integrations.Core.Identity.Users;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Integrations.Azure.Tests.Identity.Users;

/// <summary>Login asks the throttle first and tells it every outcome; the session settings are checked when read.</summary>
public sealed class LoginThrottleSeamTests
{
    [Fact]
    public async Task Login_ThrottleRefuses_AnswersThrottledWithRetryAfter_WithoutCheckingThePassword()
    {
        var throttle = new RecordingThrottle { Refuse = TimeSpan.FromMinutes(7) };
        await using var hub = await UserHub.StartAsync(configure: s => s.AddSingleton<ILoginThrottle>(throttle));
        await hub.SignUpAsync("quinn@example.com");
        var verifies = hub.Hasher.Verifies + hub.Hasher.Dummies;

        var refused = await hub.Users.LoginAsync("Quinn@Example.com", UserHub.StrongPassword, UserHub.Source);

        Assert.Equal(UserErrors.LoginThrottled, refused.Error?.Code);
        Assert.Equal(TimeSpan.FromMinutes(7), refused.RetryAfter);
        Assert.Equal(verifies, hub.Hasher.Verifies + hub.Hasher.Dummies);
        Assert.Equal(["check quinn@example.com " + UserHub.Source], throttle.Calls);
    }

    [Fact]
    public async Task Login_RecordsFailuresForKnownAndUnknownAccounts_AndSuccess_UnderTheNormalisedAddress()
    {
        var throttle = new RecordingThrottle();
        await using var hub = await UserHub.StartAsync(configure: s => s.AddSingleton<ILoginThrottle>(throttle));
        await hub.SignUpAsync("rita@example.com");

        await hub.Users.LoginAsync("RITA@example.com", "Not-The-Password-123", UserHub.Source);
        await hub.Users.LoginAsync("nobody@example.com", "Not-The-Password-123", UserHub.Source);
        await hub.Users.LoginAsync("rita@example.com", UserHub.StrongPassword, UserHub.Source);

        Assert.Equal(
            [
                "check rita@example.com " + UserHub.Source, "failure rita@example.com " + UserHub.Source,
                "check nobody@example.com " + UserHub.Source, "failure nobody@example.com " + UserHub.Source,
                "check rita@example.com " + UserHub.Source, "success rita@example.com " + UserHub.Source,
            ],
            throttle.Calls);
    }

    [Theory]
    [InlineData("Auth:RefreshTokenReuseGrace", "00:01:01")]
    [InlineData("Auth:RefreshTokenLifetime", "00:10:00")]
    public async Task Options_OutOfRange_AreRefusedWithTheSettingsName(string key, string value)
    {
        await using var hub = await UserHub.StartAsync(settings: new Dictionary<string, string?> { [key] = value });

        var error = Assert.Throws<OptionsValidationException>(() => hub.Services.Get<IOptions<UserSessionOptions>>().Value);

        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }

    private sealed class RecordingThrottle : ILoginThrottle
    {
        public TimeSpan? Refuse { get; init; }

        public ConcurrentQueue<string> Calls { get; } = new();

        public Task<LoginThrottleDecision> CheckAsync(string accountKey, string source, CancellationToken cancellationToken = default)
        {
            Calls.Enqueue($"check {accountKey} {source}");
            return Task.FromResult(new LoginThrottleDecision(Refuse is null, Refuse));
        }

        public Task RecordFailureAsync(string accountKey, string source, CancellationToken cancellationToken = default)
        {
            Calls.Enqueue($"failure {accountKey} {source}");
            return Task.CompletedTask;
        }

        public Task RecordSuccessAsync(string accountKey, string source, CancellationToken cancellationToken = default)
        {
            Calls.Enqueue($"success {accountKey} {source}");
            return Task.CompletedTask;
        }
    }
}
