namespace Integrations.Core.Identity.Lockout;

/// <summary>Clears an account's login lock: after a successful password reset, or an admin's unlock.</summary>
public interface ILoginThrottleReset
{
    /// <summary>
    /// Forgets every counted failure of <paramref name="accountKey"/>: the account-wide count and the count of every source
    /// on it. Failures counted against a source across accounts stay (they are that source's, not this account's).
    /// </summary>
    Task ResetAsync(string accountKey, CancellationToken cancellationToken = default);
}
