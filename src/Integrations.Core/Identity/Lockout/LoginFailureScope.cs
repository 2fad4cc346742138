namespace Integrations.Core.Identity.Lockout;

/// <summary>What a list of counted login failures belongs to.</summary>
public enum LoginFailureScope
{
    /// <summary>One account tried from one source address.</summary>
    AccountSource,

    /// <summary>One account, from every source.</summary>
    Account,

    /// <summary>One source address, against every account (credential stuffing).</summary>
    Source,

    /// <summary>
    /// One account, from every source, over <see cref="LockoutOptions.LoginFailedEventInterval"/>: only its notice is used,
    /// to report failed logins (<c>auth.login_failed</c>) at most once per account per interval.
    /// </summary>
    AccountReport,
}
