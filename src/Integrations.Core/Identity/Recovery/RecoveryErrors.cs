namespace Integrations.Core.Identity.Recovery;

/// <summary>
/// Error codes of email verification, password reset and admin user operations. Each is a problem <c>type</c> with an entry
/// in docs/problems.md (## Identity: recovery and admin). Messages never hold a token, a password or an address.
/// </summary>
public static class RecoveryErrors
{
    /// <summary>The token is malformed, fails its checksum, is of the other kind (<c>type</c>), or is unknown.</summary>
    public const string InvalidRecoveryToken = "invalid-recovery-token";

    /// <summary>The token is past its lifetime (verification 24 h, reset 1 h by default): ask for a new one.</summary>
    public const string RecoveryTokenExpired = "recovery-token-expired";

    /// <summary>The token was already used (tokens are single use), or a later password change made it void.</summary>
    public const string RecoveryTokenUsed = "recovery-token-used";

    /// <summary><c>GET /v1/auth/verify</c>: <c>type</c> is not <c>signup</c>.</summary>
    public const string InvalidVerificationType = "invalid-verification-type";

    /// <summary>Admin: <c>search</c> is longer than 254 characters.</summary>
    public const string InvalidUserSearch = "invalid-user-search";
}
