namespace Integrations.Core.Identity.Lockout;

/// <summary>
/// An account has just become locked (what the caller publishes as <c>auth.account_locked</c>). Raised at most once per
/// account per <see cref="LockoutOptions.Window"/>, on one instance.
/// </summary>
/// <param name="AccountKey">The account's lookup key (the normalised email): for finding the user, never for a log line.</param>
/// <param name="Source">The source whose failure locked it.</param>
/// <param name="Reason">Which limit was reached.</param>
/// <param name="Failures">The failures counted by that limit.</param>
/// <param name="LockedAt">When.</param>
/// <param name="RetryAfter">How long the locked source must wait (for <see cref="AccountLockoutReason.AccountLimit"/>: the throttle delay).</param>
public sealed record AccountLockout(string AccountKey, string Source, AccountLockoutReason Reason, int Failures, DateTimeOffset LockedAt, TimeSpan RetryAfter)
{
    // The lookup key is an email address: a record printed into a log line must not carry it.
    public override string ToString() => $"AccountLockout {{ Reason = {Reason}, Failures = {Failures}, LockedAt = {LockedAt:O}, RetryAfter = {RetryAfter} }}";
}
