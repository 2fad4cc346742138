namespace Integrations.Core.Identity.Lockout;

/// <summary>
/// Told of failed logins, rate-aggregated: at most once per account per <see cref="LockoutOptions.LoginFailedEventInterval"/>
/// across every instance (<see cref="LoginFailureReport"/>), so that the login service can publish <c>auth.login_failed</c>
/// without one event per guess. Register any number with <c>TryAddEnumerable</c>; without any, the throttle keeps no report
/// state. A listener that throws is logged and does not change the login's answer.
/// </summary>
public interface ILoginFailureListener
{
    Task LoginFailedAsync(LoginFailureReport report, CancellationToken cancellationToken = default);
}
