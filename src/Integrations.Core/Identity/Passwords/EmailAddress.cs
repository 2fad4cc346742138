using System.Globalization;
using System.Text;
using Integrations.Core.Common;

namespace Integrations.Core.Identity.Passwords;

/// <summary>
/// A person's email address, normalised so that one mailbox is one account.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="Parse"/> trims surrounding white space, applies Unicode NFKC (full-width <c>Ａ</c> becomes <c>A</c>, the
/// ligature <c>ﬁ</c> becomes <c>fi</c>), converts the domain to its lower-case ASCII (IDNA/punycode) form with
/// <see cref="IdnMapping"/> (so <c>bücher.example</c> and <c>xn--bcher-kva.example</c> are one domain), and keeps the local
/// part's case as the person typed it: that is the address mail is sent to, since RFC 5321 §2.4 lets a server treat
/// <c>Alice</c> and <c>alice</c> as different mailboxes.
/// </para>
/// <para>
/// Accounts are nevertheless found and compared by <see cref="LookupKey"/>, the whole address in lower case: practically
/// every provider treats local parts case-insensitively, and two accounts for <c>Alice@x</c> and <c>alice@x</c> would let
/// someone register a look-alike of another person's account (and receive their invitations or resets by a typo).
/// Equality of two <see cref="EmailAddress"/> values is equality of their lookup keys.
/// </para>
/// <para>
/// Refused (<see cref="PasswordErrors.InvalidEmail"/>, field <c>email</c>): not exactly one <c>@</c>; an empty local part or
/// domain; a local part over 64 UTF-8 bytes or an address over 254 characters (RFC 5321 §4.5.3.1, counted with the ASCII
/// domain); control characters, white space, or the characters that RFC 5322 allows only inside a quoted local part
/// (<c>"(),:;&lt;&gt;[\]</c>) — quoted local parts and address literals (<c>user@[192.0.2.1]</c>) are not accepted for
/// accounts; a domain that is not a valid internationalised host name with at least one dot.
/// </para>
/// </remarks>
public sealed class EmailAddress : IEquatable<EmailAddress>
{
    /// <summary>RFC 5321 §4.5.3.1.1: the local part is at most 64 octets.</summary>
    public const int MaxLocalPartBytes = 64;

    /// <summary>RFC 5321 §4.5.3.1.3 allows a 256-octet path, less the angle brackets: 254 for the address.</summary>
    public const int MaxLength = 254;

    private const string Field = "email";
    private const string QuotedOnly = "\"(),:;<>[\\]";

    // UseStd3AsciiRules: letters, digits and hyphens only in every label (no '_' or '*'), as a mail host name must be.
    private static readonly IdnMapping Idn = new() { UseStd3AsciiRules = true, AllowUnassigned = false };

    private EmailAddress(string localPart, string domain)
    {
        LocalPart = localPart;
        Domain = domain;
        Value = localPart + "@" + domain;
        LookupKey = Value.ToLowerInvariant();
    }

    /// <summary>The local part as given (after NFKC).</summary>
    public string LocalPart { get; }

    /// <summary>The domain in lower-case ASCII (IDNA form: <c>xn--…</c> labels for internationalised names).</summary>
    public string Domain { get; }

    /// <summary>The address to send mail to: <see cref="LocalPart"/>@<see cref="Domain"/>.</summary>
    public string Value { get; }

    /// <summary>The whole address in lower case: the key an account is stored and found under.</summary>
    public string LookupKey { get; }

    /// <summary>Normalises <paramref name="input"/>, or says why it is not an address an account can have.</summary>
    public static Result<EmailAddress> Parse(string? input)
    {
        if (string.IsNullOrWhiteSpace(input))
        {
            return Invalid("email is required.");
        }

        // A bound before any work: NFKC can grow a string, but never shrink 4 KiB of input below the 254-character limit
        // by enough to matter, and a megabyte-long "address" should not reach the normaliser.
        if (input.Length > 4 * MaxLength)
        {
            return Invalid($"email must be at most {MaxLength} characters.");
        }

        var text = UnicodeText.Nfkc(input.Trim());
        var at = text.IndexOf('@', StringComparison.Ordinal);
        if (at < 0 || at != text.LastIndexOf('@'))
        {
            return Invalid("email must contain exactly one '@'.");
        }

        var local = text[..at];
        var domain = text[(at + 1)..];
        if (local.Length == 0 || domain.Length == 0)
        {
            return Invalid("email needs a name before the '@' and a domain after it.");
        }

        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsSurrogatePair(text, i))
            {
                i++;
                continue;
            }

            // An unpaired surrogate is not text at all; invisible format characters (zero-width joiners…) make look-alikes; the
            // rest are characters a mailbox name cannot hold unquoted.
            if (char.IsSurrogate(c) || char.IsControl(c) || char.IsWhiteSpace(c) || QuotedOnly.Contains(c, StringComparison.Ordinal)
                || char.GetUnicodeCategory(c) == UnicodeCategory.Format)
            {
                return Invalid("email must not contain spaces, control characters or any of \"(),:;<>[\\].");
            }
        }

        if (Encoding.UTF8.GetByteCount(local) > MaxLocalPartBytes)
        {
            return Invalid($"The part of email before the '@' must be at most {MaxLocalPartBytes} bytes.");
        }

        if (local.StartsWith('.') || local.EndsWith('.') || local.Contains("..", StringComparison.Ordinal))
        {
            return Invalid("The part of email before the '@' must not start or end with a dot or hold two dots in a row.");
        }

        string asciiDomain;
        try
        {
            asciiDomain = Idn.GetAscii(domain).ToLowerInvariant();
        }
        catch (ArgumentException)
        {
            return Invalid("The domain of email is not a valid host name.");
        }

        if (!asciiDomain.Contains('.', StringComparison.Ordinal) || asciiDomain.EndsWith('.'))
        {
            return Invalid("The domain of email must be a full domain name such as example.com.");
        }

        if (local.Length + 1 + asciiDomain.Length > MaxLength)
        {
            return Invalid($"email must be at most {MaxLength} characters.");
        }

        return new EmailAddress(local, asciiDomain);
    }

    public bool Equals(EmailAddress? other) => other is not null && string.Equals(LookupKey, other.LookupKey, StringComparison.Ordinal);

    public override bool Equals(object? obj) => Equals(obj as EmailAddress);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(LookupKey);

    public override string ToString() => Value;

    private static HubError Invalid(string message) => HubError.Invalid(PasswordErrors.InvalidEmail, message, Field);
}
