using System.Globalization;
using System.Text;
using Integrations.Core.Common;
using Microsoft.Extensions.Options;

namespace Integrations.Core.Identity.Passwords;

/// <summary>
/// Decides whether a new password may be used (sign-up, password change, reset), under <c>Auth:PasswordPolicy</c>.
/// </summary>
/// <remarks>
/// The password is measured after Unicode NFKC (the form <see cref="IPasswordHasher"/> hashes), in code points, so a
/// character outside the Basic Multilingual Plane counts once. In order, and the first failing rule is the answer:
/// <list type="number">
/// <item>length: at least 8 (<c>seed</c>) or 15 (<c>nist</c>, NIST SP 800-63B §3.1.1.2) and at most
/// <see cref="MaxLength"/> (256, above the 64 that NIST asks verifiers to allow at least);</item>
/// <item><c>seed</c> only: an upper-case letter, a lower-case letter, a digit and a special character (anything else,
/// space included);</item>
/// <item>both: zxcvbn (zxcvbn-core: its common-password, English-word, name and keyboard-pattern dictionaries) must score it
/// 2 or more of 4, with the person's own email local part and display name added as a dictionary, so
/// <c>Password1!</c> and <c>alice.smith.2024!</c> for alice.smith@… are refused as too common.</item>
/// </list>
/// Error messages name the rule, never the password.
/// </remarks>
public sealed class PasswordPolicy(IOptions<PasswordOptions> options)
{
    /// <summary>The longest password accepted, in code points after NFKC.</summary>
    public const int MaxLength = 256;

    /// <summary>The shortest password of policy <c>seed</c>.</summary>
    public const int SeedMinLength = 8;

    /// <summary>The shortest password of policy <c>nist</c> (NIST SP 800-63B, single-factor password).</summary>
    public const int NistMinLength = 15;

    /// <summary>zxcvbn scores 0 (too guessable) to 4 (very unguessable); below this the password is refused.</summary>
    public const int MinScore = 2;

    private const string Field = "password";

    // One estimator for the process: its dictionaries load once (a few hundred milliseconds) and are only read afterwards.
    private static readonly Lazy<Zxcvbn.Zxcvbn> Estimator = new(() => new Zxcvbn.Zxcvbn(Zxcvbn.Translation.English));

    /// <summary>The active policy.</summary>
    public PasswordPolicyKind Kind => options.Value.PasswordPolicy;

    /// <summary>
    /// Null when <paramref name="password"/> may be used, else the rule it breaks (field <c>password</c>).
    /// <paramref name="email"/> and <paramref name="displayName"/> are the person's own, so a password built from them is refused.
    /// </summary>
    public HubError? Check(string? password, EmailAddress? email = null, string? displayName = null)
    {
        var kind = options.Value.PasswordPolicy;
        var minLength = kind == PasswordPolicyKind.Nist ? NistMinLength : SeedMinLength;
        if (string.IsNullOrEmpty(password))
        {
            return HubError.Invalid(PasswordErrors.PasswordTooShort, $"password is required: at least {minLength} characters.", Field);
        }

        // A cheap bound before normalising: NFKC of 4 KiB cannot fall under 256 code points in any way that matters here.
        if (password.Length > 16 * MaxLength)
        {
            return TooLong();
        }

        var normalized = UnicodeText.Nfkc(password);
        var length = UnicodeText.CodePoints(normalized);
        if (length < minLength)
        {
            return HubError.Invalid(PasswordErrors.PasswordTooShort, $"password must be at least {minLength} characters.", Field);
        }

        if (length > MaxLength)
        {
            return TooLong();
        }

        if (kind == PasswordPolicyKind.Seed && !MeetsComposition(normalized))
        {
            return HubError.Invalid(PasswordErrors.PasswordComposition,
                "password must contain an upper-case letter, a lower-case letter, a digit and a special character.", Field);
        }

        if (Score(normalized, UserInputs(email, displayName)) < MinScore)
        {
            return HubError.Invalid(PasswordErrors.PasswordTooCommon,
                "password is too common or too easy to guess (it may be a well-known password, a word pattern, or built from your email or name). Choose a longer or less predictable one.",
                Field);
        }

        return null;
    }

    /// <summary>zxcvbn's score (0–4) of <paramref name="password"/> with <paramref name="userInputs"/> as an extra dictionary.</summary>
    internal static int Score(string password, IEnumerable<string> userInputs) =>
        // The result also holds the password: only its score leaves this method.
        Estimator.Value.EvaluatePassword(password, userInputs).Score;

    /// <summary>The words of the person's own details that a password must not be built from, in lower case.</summary>
    internal static List<string> UserInputs(EmailAddress? email, string? displayName)
    {
        var words = new List<string>();
        void Add(string? value)
        {
            if (value is null)
            {
                return;
            }

            var word = UnicodeText.Nfkc(value).Trim().ToLowerInvariant();
            // One- and two-letter words would mark half of every password as "personal" and say nothing.
            if (word.Length >= 3 && !words.Contains(word))
            {
                words.Add(word);
            }
        }

        if (email is not null)
        {
            Add(email.LocalPart);
            foreach (var part in email.LocalPart.Split(['.', '_', '-', '+'], StringSplitOptions.RemoveEmptyEntries))
            {
                Add(part);
            }

            Add(email.Domain.Split('.')[0]);
        }

        if (displayName is not null)
        {
            Add(displayName);
            Add(displayName.Replace(" ", "", StringComparison.Ordinal));
            foreach (var part in displayName.Split([' ', '.', '-', '_'], StringSplitOptions.RemoveEmptyEntries))
            {
                Add(part);
            }
        }

        return words;
    }

    private static bool MeetsComposition(string password)
    {
        bool upper = false, lower = false, digit = false, special = false;
        foreach (var rune in password.EnumerateRunes())
        {
            switch (Rune.GetUnicodeCategory(rune))
            {
                case UnicodeCategory.UppercaseLetter or UnicodeCategory.TitlecaseLetter:
                    upper = true;
                    break;
                case UnicodeCategory.LowercaseLetter:
                    lower = true;
                    break;
                case UnicodeCategory.DecimalDigitNumber:
                    digit = true;
                    break;
                case UnicodeCategory.OtherLetter or UnicodeCategory.ModifierLetter:
                    // A letter without case (CJK, Arabic…) is neither upper nor lower, nor special.
                    break;
                default:
                    special = true;
                    break;
            }
        }

        return upper && lower && digit && special;
    }

    private static HubError TooLong() =>
        HubError.Invalid(PasswordErrors.PasswordTooLong, $"password must be at most {MaxLength} characters.", Field);
}
