namespace Integrations.Core.Identity.Lockout;

/// <summary>
/// Brute-force protection for password logins: asked before a password is checked, and told how the check ended.
/// <c>accountKey</c> is the account's normalised email lookup key (also for addresses with no account, so an
/// unknown address is throttled like a known one); <c>source</c> is the caller's address.
/// </summary>
public interface ILoginThrottle
{
    Task<LoginThrottleDecision> CheckAsync(string accountKey, string source, CancellationToken cancellationToken = default);

    Task RecordFailureAsync(string accountKey, string source, CancellationToken cancellationToken = default);

    Task RecordSuccessAsync(string accountKey, string source, CancellationToken cancellationToken = default);
}
