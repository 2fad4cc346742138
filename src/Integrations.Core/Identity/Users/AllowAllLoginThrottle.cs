using Integrations.Core.Identity.Lockout;

namespace Integrations.Core.Identity.Users;

/// <summary>
/// The <see cref="ILoginThrottle"/> used until brute-force protection is registered (it replaces this one): every attempt
/// is allowed and nothing is counted.
/// </summary>
public sealed class AllowAllLoginThrottle : ILoginThrottle
{
    private static readonly LoginThrottleDecision Allowed = new(true, null);

    public Task<LoginThrottleDecision> CheckAsync(string accountKey, string source, CancellationToken cancellationToken = default) => Task.FromResult(Allowed);

    public Task RecordFailureAsync(string accountKey, string source, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task RecordSuccessAsync(string accountKey, string source, CancellationToken cancellationToken = default) => Task.CompletedTask;
}
