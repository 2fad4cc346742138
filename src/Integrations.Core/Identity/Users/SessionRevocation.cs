namespace Integrations.Core.Identity.Users;

/// <summary>Why a session ended (<see cref="Session.RevokedReason"/>).</summary>
public static class SessionRevocation
{
    public const string Logout = "logout";
    public const string LogoutAll = "logout-all";
    public const string PasswordChanged = "password-changed";

    /// <summary>A refresh token of the family was used after it had been rotated, past the grace window.</summary>
    public const string ReuseDetected = "reuse-detected";
}
