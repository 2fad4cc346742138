namespace Integrations.Core.Identity.Lockout;

/// <summary>
/// Told when an account first becomes locked (<see cref="AccountLockout"/>), so that the login service can publish
/// <c>auth.account_locked</c>. Register any number with <c>TryAddEnumerable</c>; the throttle publishes nothing itself. A
/// listener that throws is logged and does not change the login's answer.
/// </summary>
public interface IAccountLockoutListener
{
    Task AccountLockedAsync(AccountLockout lockout, CancellationToken cancellationToken = default);
}
