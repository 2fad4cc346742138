using System.Buffers;
using System.Security.Cryptography;
using Integrations.Core.Common;
using Integrations.Core.Connections;

namespace Integrations.Core.Webhooks;

/// <summary>
/// What a webhook source may be: its name, scheme, description and settings, the form of each scheme's secrets, and how
/// keys roll. Pure functions: the service applies them, tests call them directly. No message ever contains a secret.
/// </summary>
public static class WebhookSourceRules
{
    public const int MaxNameLength = 128;
    public const int MaxDescriptionLength = 1024;
    public const int MinToleranceSeconds = 1;
    public const int MaxToleranceSeconds = 3600;
    public const int MaxSecretLength = 4096;
    public const int MaxPointerLength = 256;
    public const int MaxPrefixLength = 64;
    public const int MaxSeparatorLength = 16;

    /// <summary>At most this many keys per source (the newest and those still inside their overlap window).</summary>
    public const int MaxKeys = 5;

    /// <summary>How long the previous keys stay accepted after a new one is added, unless the caller says otherwise.</summary>
    public static readonly TimeSpan DefaultOverlap = TimeSpan.FromHours(24);

    public static readonly TimeSpan MaxOverlap = TimeSpan.FromDays(30);

    /// <summary>The prefix of every Standard Webhooks (and Svix) secret.</summary>
    public const string StandardSecretPrefix = "whsec_";

    public static IReadOnlyList<string> HmacAlgorithms { get; } = ["sha256", "sha512", "sha1"];

    public static IReadOnlyList<string> HmacEncodings { get; } = ["hex", "base64"];

    private static readonly SearchValues<char> NameChars =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-");

    /// <summary>1 to 128 of [A-Za-z0-9._-], not only dots (the same rule as connection names).</summary>
    public static bool IsValidName(string? name) =>
        !string.IsNullOrEmpty(name) && name.Length <= MaxNameLength && !name.AsSpan().ContainsAnyExcept(NameChars) && name.AsSpan().ContainsAnyExcept('.');

    /// <summary>
    /// <paramref name="template"/> (id, tenant, keys, times) with <paramref name="input"/>'s name, scheme, description,
    /// settings and enabled flag, each checked; <paramref name="schemes"/> are the names the hub can verify.
    /// </summary>
    public static Result<WebhookSource> Apply(WebhookSourceInput input, WebhookSource template, IReadOnlyCollection<string> schemes)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(schemes);
        if (!IsValidName(input.Name))
        {
            return input.Name is null
                ? HubError.Invalid(CommonErrors.MissingField, "name is required.", "name")
                : HubError.Invalid(CommonErrors.InvalidName, $"name must be 1 to {MaxNameLength} characters of A-Z, a-z, 0-9, '.', '_' or '-', not only dots.", "name");
        }

        if (input.Scheme is null)
        {
            return HubError.Invalid(CommonErrors.MissingField, $"scheme is required: one of {string.Join(", ", schemes.Order(StringComparer.Ordinal))}.", "scheme");
        }

        if (!schemes.Contains(input.Scheme, StringComparer.Ordinal))
        {
            // The caller's text is not echoed.
            return HubError.Invalid(WebhookErrors.UnknownScheme, $"scheme must be one of {string.Join(", ", schemes.Order(StringComparer.Ordinal))}.", "scheme");
        }

        if (input.Description is { Length: > MaxDescriptionLength } || !PrintableText.IsPrintable(input.Description))
        {
            return HubError.Invalid(WebhookErrors.InvalidDescription, $"description must be at most {MaxDescriptionLength} printable characters.", "description");
        }

        var settings = ApplySettings(input.Scheme, input.Settings);
        if (!settings.IsSuccess)
        {
            return settings.Error;
        }

        return template with
        {
            Name = input.Name!,
            Scheme = input.Scheme,
            Description = string.IsNullOrEmpty(input.Description) ? null : input.Description,
            Settings = settings.Value,
            Enabled = input.Enabled ?? true,
        };
    }

    /// <summary>The settings for <paramref name="scheme"/>: defaults filled in; <c>hmac</c> and the event id/type members only for <c>hmac</c>.</summary>
    public static Result<WebhookSourceSettings> ApplySettings(string scheme, WebhookSettingsInput? input)
    {
        input ??= new WebhookSettingsInput();
        var tolerance = input.ToleranceSeconds ?? WebhookSourceSettings.DefaultToleranceSeconds;
        if (tolerance is < MinToleranceSeconds or > MaxToleranceSeconds)
        {
            return HubError.Invalid(WebhookErrors.InvalidSettings,
                $"settings.tolerance_seconds must be between {MinToleranceSeconds} and {MaxToleranceSeconds}.", "settings.tolerance_seconds");
        }

        var isHmac = string.Equals(scheme, WebhookSchemes.Hmac, StringComparison.Ordinal);
        if (!isHmac)
        {
            var misplaced = input.Hmac is not null ? "hmac"
                : input.EventIdHeader is not null ? "event_id_header"
                : input.EventIdPointer is not null ? "event_id_pointer"
                : input.EventTypePointer is not null ? "event_type_pointer"
                : null;
            return misplaced is null
                ? new WebhookSourceSettings(tolerance)
                : HubError.Invalid(WebhookErrors.InvalidSettings,
                    $"settings.{misplaced} is only for the hmac scheme: the {scheme} scheme reads its event id and type as the provider documents.", "settings." + misplaced);
        }

        if (input.Hmac is null)
        {
            return HubError.Invalid(WebhookErrors.HmacSettingsRequired,
                "The hmac scheme needs settings.hmac: signature_header, and optionally algorithm, encoding, prefix, timestamp_header and separator.", "settings.hmac");
        }

        var hmac = ApplyHmac(input.Hmac);
        if (!hmac.IsSuccess)
        {
            return hmac.Error;
        }

        if (input.EventIdHeader is not null && !ConnectionRules.IsHeaderName(input.EventIdHeader))
        {
            return HubError.Invalid(WebhookErrors.InvalidSettings, "settings.event_id_header must be a header name (RFC 9110 token).", "settings.event_id_header");
        }

        if (input.EventIdPointer is not null && !IsJsonPointer(input.EventIdPointer))
        {
            return HubError.Invalid(WebhookErrors.InvalidSettings,
                $"settings.event_id_pointer must be a JSON pointer (RFC 6901, e.g. /id) of at most {MaxPointerLength} characters.", "settings.event_id_pointer");
        }

        if (input.EventTypePointer is not null && !IsJsonPointer(input.EventTypePointer))
        {
            return HubError.Invalid(WebhookErrors.InvalidSettings,
                $"settings.event_type_pointer must be a JSON pointer (RFC 6901, e.g. /type) of at most {MaxPointerLength} characters.", "settings.event_type_pointer");
        }

        return new WebhookSourceSettings(tolerance, hmac.Value, input.EventIdHeader, input.EventIdPointer, input.EventTypePointer);
    }

    private static Result<HmacSchemeSettings> ApplyHmac(HmacSettingsInput input)
    {
        if (input.SignatureHeader is null || !ConnectionRules.IsHeaderName(input.SignatureHeader))
        {
            return HubError.Invalid(input.SignatureHeader is null ? WebhookErrors.HmacSettingsRequired : WebhookErrors.InvalidSettings,
                "settings.hmac.signature_header is required: the header name (RFC 9110 token) that carries the signature.", "settings.hmac.signature_header");
        }

        var algorithm = input.Algorithm ?? "sha256";
        if (!HmacAlgorithms.Contains(algorithm, StringComparer.Ordinal))
        {
            return HubError.Invalid(WebhookErrors.InvalidSettings, $"settings.hmac.algorithm must be one of {string.Join(", ", HmacAlgorithms)}.", "settings.hmac.algorithm");
        }

        var encoding = input.Encoding ?? "hex";
        if (!HmacEncodings.Contains(encoding, StringComparer.Ordinal))
        {
            return HubError.Invalid(WebhookErrors.InvalidSettings, $"settings.hmac.encoding must be one of {string.Join(", ", HmacEncodings)}.", "settings.hmac.encoding");
        }

        if (input.Prefix is { } prefix && (prefix.Length > MaxPrefixLength || !IsVisibleAscii(prefix, allowSpace: false)))
        {
            return HubError.Invalid(WebhookErrors.InvalidSettings,
                $"settings.hmac.prefix must be at most {MaxPrefixLength} visible ASCII characters (e.g. sha256=).", "settings.hmac.prefix");
        }

        if (input.TimestampHeader is not null && !ConnectionRules.IsHeaderName(input.TimestampHeader))
        {
            return HubError.Invalid(WebhookErrors.InvalidSettings, "settings.hmac.timestamp_header must be a header name (RFC 9110 token).", "settings.hmac.timestamp_header");
        }

        var separator = input.Separator ?? ".";
        if (separator.Length > MaxSeparatorLength || !IsVisibleAscii(separator, allowSpace: true))
        {
            return HubError.Invalid(WebhookErrors.InvalidSettings,
                $"settings.hmac.separator must be at most {MaxSeparatorLength} ASCII characters (visible or space).", "settings.hmac.separator");
        }

        return new HmacSchemeSettings(input.SignatureHeader, algorithm, encoding, string.IsNullOrEmpty(input.Prefix) ? null : input.Prefix, input.TimestampHeader, separator);
    }

    /// <summary>RFC 6901: empty (the whole document) or <c>/</c>-separated tokens in which <c>~</c> is always <c>~0</c> or <c>~1</c>.</summary>
    public static bool IsJsonPointer(string? value)
    {
        if (value is null || value.Length > MaxPointerLength || (value.Length > 0 && value[0] != '/') || !PrintableText.IsPrintable(value))
        {
            return false;
        }

        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '~' && (i + 1 >= value.Length || value[i + 1] is not ('0' or '1')))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether the hub can make a secret for <paramref name="scheme"/>: only where the receiver chooses it (Standard Webhooks, generic HMAC).</summary>
    public static bool CanGenerate(string scheme) => scheme is WebhookSchemes.Standard or WebhookSchemes.Hmac;

    /// <summary>
    /// A new secret for <paramref name="scheme"/> (<see cref="CanGenerate"/>): <c>whsec_</c> + base64 of 32 random bytes for
    /// Standard Webhooks, 32 random bytes as lowercase hex for generic HMAC.
    /// </summary>
    public static string Generate(string scheme)
    {
        if (!CanGenerate(scheme))
        {
            throw new ArgumentException($"The hub does not generate secrets for the {scheme} scheme.", nameof(scheme));
        }

        Span<byte> bytes = stackalloc byte[32];
        RandomNumberGenerator.Fill(bytes);
        try
        {
            return scheme == WebhookSchemes.Standard ? StandardSecretPrefix + Convert.ToBase64String(bytes) : Convert.ToHexStringLower(bytes);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    /// <summary>
    /// The secret to store from a create's or an add's <paramref name="secret"/> / <paramref name="generate"/>: the value and
    /// whether the hub made it. Null value (and no error) only for <c>asana</c> without a secret: its handshake sets it.
    /// </summary>
    public static Result<(string? Value, bool Generated)> ChooseSecret(string scheme, string? secret, bool? generate)
    {
        if (generate == true)
        {
            if (secret is not null)
            {
                return HubError.Invalid(WebhookErrors.InvalidSecret, "Send either secret or generate_secret: true, not both.", "secret");
            }

            return CanGenerate(scheme)
                ? Result.Success<(string?, bool)>((Generate(scheme), true))
                : HubError.Invalid(WebhookErrors.SecretGenerationUnsupported,
                    $"The {scheme} provider makes the signing secret: copy it from the provider's dashboard into secret (the hub generates secrets only for standard and hmac).",
                    "generate_secret");
        }

        if (secret is null)
        {
            return scheme == WebhookSchemes.Asana
                ? Result.Success<(string?, bool)>((null, false))
                : HubError.Invalid(WebhookErrors.SecretRequired,
                    CanGenerate(scheme)
                        ? $"The {scheme} scheme needs a signing secret: send secret, or generate_secret: true."
                        : $"The {scheme} scheme needs the signing secret (or public key) from the provider's dashboard in secret.",
                    "secret");
        }

        return ValidateSecret(scheme, secret) is { } error ? error : Result.Success<(string?, bool)>((secret, false));
    }

    /// <summary>Why <paramref name="secret"/> cannot be a signing secret of <paramref name="scheme"/>, or null. Never repeats the value.</summary>
    public static HubError? ValidateSecret(string scheme, string? secret)
    {
        if (string.IsNullOrEmpty(secret))
        {
            return HubError.Invalid(WebhookErrors.InvalidSecret, "secret must not be empty.", "secret");
        }

        if (secret.Length > MaxSecretLength || !IsVisibleAscii(secret, allowSpace: false))
        {
            // A pasted secret with a trailing newline or a space would never verify: say so now rather than at the first delivery.
            return HubError.Invalid(WebhookErrors.InvalidSecret,
                $"secret must be at most {MaxSecretLength} visible ASCII characters, without spaces or line breaks (paste it exactly as the provider shows it).", "secret");
        }

        return scheme switch
        {
            WebhookSchemes.Standard when !IsStandardSecret(secret) => HubError.Invalid(WebhookErrors.InvalidSecret,
                "A standard (Standard Webhooks / Svix) secret is whsec_ followed by base64, as the provider shows it.", "secret"),
            WebhookSchemes.Discord when !IsHex(secret, 64) => HubError.Invalid(WebhookErrors.InvalidSecret,
                "A discord secret is the application's public key: 64 hexadecimal characters (Ed25519).", "secret"),
            WebhookSchemes.SendGrid when !IsEcPublicKey(secret) => HubError.Invalid(WebhookErrors.InvalidSecret,
                "A sendgrid secret is the verification key from SendGrid's settings: base64 of an EC P-256 public key (SubjectPublicKeyInfo).", "secret"),
            _ => null,
        };
    }

    private static bool IsStandardSecret(string secret) =>
        secret.StartsWith(StandardSecretPrefix, StringComparison.Ordinal) && DecodesAsBase64(secret.AsSpan(StandardSecretPrefix.Length), out var length) && length > 0;

    private static bool DecodesAsBase64(ReadOnlySpan<char> text, out int length)
    {
        length = 0;
        if (text.IsEmpty)
        {
            return false;
        }

        var buffer = new byte[(text.Length * 3 / 4) + 3];
        try
        {
            return Convert.TryFromBase64Chars(text, buffer, out length);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(buffer);
        }
    }

    private static bool IsHex(string text, int length) => text.Length == length && text.All(char.IsAsciiHexDigit);

    private static bool IsEcPublicKey(string text)
    {
        var buffer = new byte[(text.Length * 3 / 4) + 3];
        if (!Convert.TryFromBase64String(text, buffer, out var written) || written == 0)
        {
            return false;
        }

        try
        {
            using var key = ECDsa.Create();
            key.ImportSubjectPublicKeyInfo(buffer.AsSpan(0, written), out var read);
            // SendGrid signs with ECDSA P-256: another curve would never verify.
            return read == written && key.KeySize == 256;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    private static bool IsVisibleAscii(string text, bool allowSpace) => text.All(c => c is > ' ' and <= '~' || (allowSpace && c == ' '));

    /// <summary>
    /// The keys after adding <paramref name="added"/> at <paramref name="now"/>: every key still accepted gets
    /// <c>NotAfter = now + overlap</c> (an earlier one stays), keys no longer accepted by then (past, or at, their
    /// <c>NotAfter</c>) are dropped — the caller deletes their vault secrets. Refused when more than <see cref="MaxKeys"/> would remain.
    /// </summary>
    public static Result<KeyRoll> Roll(IReadOnlyList<WebhookSourceKey> keys, WebhookSourceKey added, DateTimeOffset now, TimeSpan overlap)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(added);
        var until = now + overlap;
        var kept = new List<WebhookSourceKey> { added };
        var dropped = new List<WebhookSourceKey>();
        foreach (var key in keys)
        {
            var notAfter = key.NotAfter is { } existing && existing < until ? existing : until;
            if (notAfter <= now)
            {
                dropped.Add(key);
            }
            else
            {
                kept.Add(key with { NotAfter = notAfter });
            }
        }

        return kept.Count > MaxKeys
            ? HubError.Conflict(WebhookErrors.SecretLimit,
                $"A source has at most {MaxKeys} secrets: wait until an older one's overlap ends, or add this one with expire_previous_in_seconds: 0.")
            : new KeyRoll(kept, dropped);
    }

    /// <summary>The overlap from <c>expire_previous_in_seconds</c>: default 24 h, 0 (at once) to 30 days.</summary>
    public static Result<TimeSpan> Overlap(long? seconds) => seconds switch
    {
        null => DefaultOverlap,
        < 0 => InvalidOverlap(),
        var s when s > (long)MaxOverlap.TotalSeconds => InvalidOverlap(),
        var s => TimeSpan.FromSeconds(s.Value),
    };

    private static HubError InvalidOverlap() => HubError.Invalid(WebhookErrors.InvalidExpiry,
        $"expire_previous_in_seconds must be between 0 (the previous secrets stop at once) and {(long)MaxOverlap.TotalSeconds} (30 days).", "expire_previous_in_seconds");
}

/// <summary>The outcome of <see cref="WebhookSourceRules.Roll"/>: the keys to store, newest first, and those to remove from the vault.</summary>
public sealed record KeyRoll(IReadOnlyList<WebhookSourceKey> Kept, IReadOnlyList<WebhookSourceKey> Dropped);
