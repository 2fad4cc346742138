namespace Integrations.Core.Identity.Lockout;

/// <summary>Which limit locked an account.</summary>
public enum AccountLockoutReason
{
    /// <summary>One source reached <see cref="LockoutOptions.MaxFailuresPerAccountSource"/> on the account (the seed's lock).</summary>
    SourceLimit,

    /// <summary>
    /// The account reached <see cref="LockoutOptions.MaxFailuresPerAccount"/> from all sources together: it is throttled
    /// (one attempt per <see cref="LockoutOptions.AccountThrottleDelay"/> per source), not shut.
    /// </summary>
    AccountLimit,
}
