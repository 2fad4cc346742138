namespace Integrations.Core.Identity.Lockout;

/// <summary>
/// Logins of an account are failing (what the caller publishes as <c>auth.login_failed</c>). Raised by the first failure after
/// a quiet <see cref="LockoutOptions.LoginFailedEventInterval"/>, on one instance; the failures after it, until the interval
/// ends, are counted in the next report.
/// </summary>
/// <param name="AccountKey">The account's lookup key (the normalised email): for finding the user, never for a log line.</param>
/// <param name="Failures">The account's failed logins from every source in <paramref name="Window"/>, this one included.</param>
/// <param name="Window">The span <paramref name="Failures"/> counts (<see cref="LockoutOptions.Window"/>).</param>
/// <param name="At">When the reporting failure happened.</param>
public sealed record LoginFailureReport(string AccountKey, int Failures, TimeSpan Window, DateTimeOffset At)
{
    // The lookup key is an email address: a record printed into a log line must not carry it.
    public override string ToString() => $"LoginFailureReport {{ Failures = {Failures}, Window = {Window}, At = {At:O} }}";
}
