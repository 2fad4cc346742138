namespace Integrations.Core.Identity.Passwords;

/// <summary>Which rules a new password must meet (<c>Auth:PasswordPolicy</c>).</summary>
public enum PasswordPolicyKind
{
    /// <summary>8+ characters with an upper-case letter, a lower-case letter, a digit and a special character (seed 002).</summary>
    Seed,

    /// <summary>NIST SP 800-63B: 15+ characters, no composition rules.</summary>
    Nist,
}
