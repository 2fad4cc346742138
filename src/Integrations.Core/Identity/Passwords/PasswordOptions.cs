namespace Integrations.Core.Identity.Passwords;

/// <summary>Password rules for sign-up, password change and reset. Bound from the <c>Auth</c> configuration section.</summary>
public sealed class PasswordOptions
{
    public const string SectionName = "Auth";

    /// <summary>
    /// <c>seed</c> (default: 8+ characters with upper case, lower case, digit and special character) or <c>nist</c> (NIST SP
    /// 800-63B: 15+ characters, no composition rules). Both refuse common and guessable passwords (zxcvbn score below 2) and
    /// passwords longer than <see cref="PasswordPolicy.MaxLength"/> code points.
    /// </summary>
    public PasswordPolicyKind PasswordPolicy { get; set; } = PasswordPolicyKind.Seed;
}
