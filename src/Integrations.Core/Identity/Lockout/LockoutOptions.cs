using System.ComponentModel.DataAnnotations;

namespace Integrations.Core.Identity.Lockout;

/// <summary>
/// The login throttle's limits, bound from <c>Auth:Lockout</c> and validated at start (the cross-field rules are
/// <see cref="LockoutOptionsValidator"/>'s). The defaults are the seed's: 5 failures in 15 minutes lock a source out of an
/// account. See <see cref="LoginThrottle"/> for the rule.
/// </summary>
public sealed class LockoutOptions
{
    public const string SectionName = "Auth:Lockout";

    /// <summary>The sliding window every limit counts failures in (default 15 minutes). 1 minute to 1 day.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00", ErrorMessage = "Auth:Lockout:Window must be between 00:01:00 and 1.00:00:00.")]
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Failures of one account from one source that lock that source out of the account (default 5). 1 to 100.</summary>
    [Range(1, 100, ErrorMessage = "Auth:Lockout:MaxFailuresPerAccountSource must be between 1 and 100.")]
    public int MaxFailuresPerAccountSource { get; set; } = 5;

    /// <summary>
    /// Failures of one account from all sources together that throttle the account (default 20). More than
    /// <see cref="MaxFailuresPerAccountSource"/>, at most 1000.
    /// </summary>
    [Range(2, ILoginFailureStore.MaxKept, ErrorMessage = "Auth:Lockout:MaxFailuresPerAccount must be between 2 and 1000.")]
    public int MaxFailuresPerAccount { get; set; } = 20;

    /// <summary>
    /// While the account is throttled, a source must wait this long after its last failure on the account before its next
    /// attempt (default 1 minute). 1 second to 1 hour, and at most <see cref="Window"/>.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00", ErrorMessage = "Auth:Lockout:AccountThrottleDelay must be between 00:00:01 and 01:00:00.")]
    public TimeSpan AccountThrottleDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Failures from one source against all accounts together that lock the source out of every login (credential
    /// stuffing; default 50). At least <see cref="MaxFailuresPerAccountSource"/>, at most 1000.
    /// </summary>
    [Range(1, ILoginFailureStore.MaxKept, ErrorMessage = "Auth:Lockout:MaxFailuresPerSource must be between 1 and 1000.")]
    public int MaxFailuresPerSource { get; set; } = 50;

    /// <summary>
    /// Failed logins of an account are reported (<c>auth.login_failed</c>, to <see cref="ILoginFailureListener"/>s) at most
    /// once per this interval (default 5 minutes): the first failure after a quiet interval reports, and the report counts every
    /// failure of the account in <see cref="Window"/>. 1 minute to 1 day.
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00", ErrorMessage = "Auth:Lockout:LoginFailedEventInterval must be between 00:01:00 and 1.00:00:00.")]
    public TimeSpan LoginFailedEventInterval { get; set; } = TimeSpan.FromMinutes(5);
}
