namespace Integrations.Core.Identity.Passwords;

/// <summary>
/// Error codes of sign-up input: the email address and the password. Each is a problem <c>type</c> with an entry in
/// docs/problems.md (## Identity: passwords). Messages name the rule, never the password.
/// </summary>
public static class PasswordErrors
{
    /// <summary>The email address is missing, malformed or too long (field <c>email</c>).</summary>
    public const string InvalidEmail = "invalid-email";

    /// <summary>The password is shorter than the active policy's minimum (8 for <c>seed</c>, 15 for <c>nist</c>).</summary>
    public const string PasswordTooShort = "password-too-short";

    /// <summary>The password is longer than 256 code points.</summary>
    public const string PasswordTooLong = "password-too-long";

    /// <summary>Policy <c>seed</c>: the password lacks an upper-case letter, a lower-case letter, a digit or a special character.</summary>
    public const string PasswordComposition = "password-composition";

    /// <summary>The password is common or guessable (zxcvbn score below 2), or built from the person's own email or name.</summary>
    public const string PasswordTooCommon = "password-too-common";
}
