namespace Integrations.Core.Identity.Recovery;

/// <summary>What a recovery token proves. Each purpose has its own token prefix, so one can never be used as the other.</summary>
public enum RecoveryPurpose
{
    /// <summary>The person receives mail at the account's address (<c>ihv_…</c>, 24 h by default).</summary>
    EmailVerification,

    /// <summary>The person may set a new password (<c>ihp_…</c>, 1 h by default).</summary>
    PasswordReset,
}
