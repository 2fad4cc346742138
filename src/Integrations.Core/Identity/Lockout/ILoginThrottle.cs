namespace Integrations.Core.Identity.Lockout;

/// <summary>
/// Brute-force protection of password logins: whether an attempt may be made at all, and what its outcome teaches. The
/// caller asks <see cref="CheckAsync"/> before verifying a password (a refused attempt costs no hash and is answered 429
/// with <c>Retry-After</c>), then records the outcome. The rule is <see cref="LoginThrottle"/>'s.
/// </summary>
/// <remarks>
/// <c>accountKey</c> is the normalised email's lookup key (<c>EmailAddress.LookupKey</c>), also for addresses no account
/// has (an unknown email must be throttled exactly like a wrong password). <c>source</c> is the client address as the hub
/// derives it (<c>SourceAddress.Of</c>).
/// </remarks>
public interface ILoginThrottle
{
    /// <summary>Whether a login attempt for <paramref name="accountKey"/> from <paramref name="source"/> may be made now.</summary>
    Task<LoginThrottleDecision> CheckAsync(string accountKey, string source, CancellationToken cancellationToken = default);

    /// <summary>Records a failed attempt (wrong password or unknown email).</summary>
    Task RecordFailureAsync(string accountKey, string source, CancellationToken cancellationToken = default);

    /// <summary>Records a successful login.</summary>
    Task RecordSuccessAsync(string accountKey, string source, CancellationToken cancellationToken = default);
}

/// <summary>The answer of <see cref="ILoginThrottle.CheckAsync"/>.</summary>
/// <param name="Allowed">Whether the attempt may be made.</param>
/// <param name="RetryAfter">When refused: how long until an attempt from this source is allowed again (the <c>Retry-After</c>).</param>
public sealed record LoginThrottleDecision(bool Allowed, TimeSpan? RetryAfter);
