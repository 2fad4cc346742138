using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace Integrations.Core.Webhooks.Schemes;

/// <summary>
/// The small pieces every webhook scheme shares, one way each: strict Unix-time parsing and the two-sided tolerance check
/// (<c>SchemeSupport.Timestamps.cs</c>), hex/base64/form decoding that never throws (<c>SchemeSupport.Encoding.cs</c>), HMAC into
/// stack buffers with a constant-time comparison and the common refusals (here), and reading JSON values from the raw body
/// (<c>SchemeSupport.Json.cs</c>). Nothing here throws for bad input and nothing puts a secret or a signature into a reason.
/// </summary>
internal static partial class SchemeSupport
{
    /// <summary>At most this many signatures are taken from one header (a roll sends two or three; more is an attack on CPU).</summary>
    public const int MaxSignatures = 32;

    /// <summary>The largest MAC any scheme here produces (HMAC-SHA512).</summary>
    public const int MaxMacLength = 64;

    private const int StackKeyLength = 256;

    /// <summary>
    /// Whether HMAC(<paramref name="key"/>, <paramref name="message"/>) equals one of the <paramref name="macLength"/>-byte
    /// candidates laid end to end in <paramref name="candidates"/>. Each comparison is constant-time.
    /// </summary>
    public static bool MacMatches(HashAlgorithmName algorithm, ReadOnlySpan<byte> key, ReadOnlySpan<byte> message, ReadOnlySpan<byte> candidates, int macLength)
    {
        Span<byte> mac = stackalloc byte[MaxMacLength];
        var length = ComputeHmac(algorithm, key, message, mac);
        var expected = mac[..length];
        var matched = false;
        if (length == macLength)
        {
            for (var offset = 0; offset + macLength <= candidates.Length; offset += macLength)
            {
                // Every candidate is compared (no early exit): which one matched is not worth a timing difference.
                matched |= CryptographicOperations.FixedTimeEquals(expected, candidates.Slice(offset, macLength));
            }
        }

        CryptographicOperations.ZeroMemory(mac);
        return matched;
    }

    /// <summary><see cref="MacMatches"/> with the secret's UTF-8 bytes as the key (what most providers use); the key copy is zeroed.</summary>
    public static bool MacMatchesUtf8Key(HashAlgorithmName algorithm, string secret, ReadOnlySpan<byte> message, ReadOnlySpan<byte> candidates, int macLength)
    {
        var keyLength = Encoding.UTF8.GetByteCount(secret);
        byte[]? rented = null;
        Span<byte> key = keyLength <= StackKeyLength ? stackalloc byte[StackKeyLength] : (rented = ArrayPool<byte>.Shared.Rent(keyLength));
        try
        {
            var written = Encoding.UTF8.GetBytes(secret, key);
            return MacMatches(algorithm, key[..written], message, candidates, macLength);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>The id of the first key whose UTF-8 secret produces one of the candidates; null when none does.</summary>
    public static string? FindMatchingUtf8Key(
        IReadOnlyList<WebhookSigningKey> keys, HashAlgorithmName algorithm, ReadOnlySpan<byte> message, ReadOnlySpan<byte> candidates, int macLength)
    {
        foreach (var key in keys)
        {
            if (!string.IsNullOrEmpty(key.Value) && MacMatchesUtf8Key(algorithm, key.Value, message, candidates, macLength))
            {
                return key.Id;
            }
        }

        return null;
    }

    /// <summary>
    /// The one-header HMAC-SHA256 check several providers share: <paramref name="signature"/> (the single value of
    /// <paramref name="header"/>) is <paramref name="prefix"/> (if any) followed by the hex or base64 MAC of
    /// <paramref name="payload"/>, keyed with a key's secret as UTF-8. Every key is tried. On success <paramref name="keyId"/>
    /// is the matching key's id; otherwise <paramref name="refusal"/> says the header is malformed or that no key matched.
    /// </summary>
    public static bool TryMatchHmacSha256Header(
        string header,
        string signature,
        string? prefix,
        MacText text,
        ReadOnlySpan<byte> payload,
        IReadOnlyList<WebhookSigningKey> keys,
        [NotNullWhen(true)] out string? keyId,
        [NotNullWhen(false)] out WebhookVerification? refusal)
    {
        const int macLength = 32;
        keyId = null;
        refusal = null;
        var mac = signature.AsSpan();
        if (prefix is not null)
        {
            if (!signature.StartsWith(prefix, StringComparison.Ordinal))
            {
                refusal = WebhookVerification.Refuse(WebhookRefusal.Malformed, $"The {header} header does not start with {prefix}.");
                return false;
            }

            mac = mac[prefix.Length..];
        }

        // Base64 decoding may need up to two bytes beyond the MAC before it can tell the length is wrong.
        Span<byte> candidate = stackalloc byte[macLength + 3];
        var decoded = text == MacText.Hex
            ? TryDecodeHex(mac, candidate[..macLength])
            : TryDecodeBase64(mac, candidate, out var written) && written == macLength;
        if (!decoded)
        {
            var expected = text == MacText.Base64 ? "a base64 HMAC-SHA256"
                : prefix is null ? "64 hex digits" : $"{prefix} followed by 64 hex digits";
            refusal = WebhookVerification.Refuse(WebhookRefusal.Malformed, $"The {header} header is not {expected}.");
            return false;
        }

        keyId = FindMatchingUtf8Key(keys, HashAlgorithmName.SHA256, payload, candidate[..macLength], macLength);
        if (keyId is null)
        {
            refusal = NoMatch(header, keys.Count);
            return false;
        }

        return true;
    }

    /// <summary>The MAC length of <paramref name="algorithm"/> (SHA-256, SHA-512 or SHA-1).</summary>
    public static int MacLength(HashAlgorithmName algorithm) =>
        algorithm == HashAlgorithmName.SHA512 ? 64 : algorithm == HashAlgorithmName.SHA1 ? 20 : 32;

    public static int ComputeHmac(HashAlgorithmName algorithm, ReadOnlySpan<byte> key, ReadOnlySpan<byte> message, Span<byte> destination)
    {
        if (algorithm == HashAlgorithmName.SHA512)
        {
            return HMACSHA512.HashData(key, message, destination);
        }

        if (algorithm == HashAlgorithmName.SHA1)
        {
#pragma warning disable CA5350 // HMAC-SHA1 is still what some providers sign with (the generic scheme offers it); HMAC does not rest on SHA-1's collision resistance.
            return HMACSHA1.HashData(key, message, destination);
#pragma warning restore CA5350
        }

        return HMACSHA256.HashData(key, message, destination);
    }

    /// <summary>
    /// An optional header (an id or a type): absent is fine (null), sent twice is refused like any duplicated header, since
    /// two ids for one delivery would let a replay pick the one not yet seen.
    /// </summary>
    public static bool TryGetOptional(WebhookHeaders headers, string name, out string? value, out WebhookVerification? refusal)
    {
        value = null;
        refusal = null;
        var values = headers.GetAll(name);
        if (values.Count > 1)
        {
            refusal = WebhookVerification.Refuse(WebhookRefusal.DuplicateHeader, $"The {name} header was sent more than once.");
            return false;
        }

        value = values.Count == 1 && !string.IsNullOrEmpty(values[0]) ? values[0] : null;
        return true;
    }

    /// <summary>The refusal when the source has no active key at all (a retired secret is filtered out before the scheme).</summary>
    public static WebhookVerification NoKeys() =>
        WebhookVerification.Refuse(WebhookRefusal.BadSignature, "The source has no active signing secret.");

    /// <summary>
    /// The refusal when no public key verified an asymmetric signature (SendGrid, Discord): the source has no key, every key
    /// is unusable (<paramref name="unusableReason"/> says what a key must be), or none verifies for this timestamp and body.
    /// </summary>
    public static WebhookVerification NoVerifyingKey(int keyCount, int unusableKeys, string unusableReason, string keyNoun, string header) =>
        keyCount == 0 ? NoKeys()
            : unusableKeys == keyCount
                ? WebhookVerification.Refuse(WebhookRefusal.BadSignature, unusableReason)
                : WebhookVerification.Refuse(WebhookRefusal.BadSignature, $"No active {keyNoun} verifies the {header} signature for this timestamp and body.");

    /// <summary>
    /// The refusal when no key matched: names where the signature was (a header, or "the body"), never a value;
    /// <paramref name="signedOver"/> optionally says what the signature covers (e.g. "this URL and body") to help whoever
    /// configures the source find a mismatch.
    /// </summary>
    public static WebhookVerification NoMatch(string where, int keyCount, string? signedOver = null) =>
        keyCount == 0
            ? NoKeys()
            : WebhookVerification.Refuse(
                WebhookRefusal.BadSignature,
                signedOver is null
                    ? $"No active signing secret of the source produced the signature in {where}."
                    : $"No active signing secret of the source produced the signature in {where} for {signedOver}.");
}

/// <summary>How a provider writes a MAC in its signature header.</summary>
internal enum MacText
{
    Hex,
    Base64,
}

/// <summary>
/// A signed payload of the form <c>{part1}{part2}{part3}{part4}{body}{suffix}</c> built once into a pooled buffer, so each key's HMAC
/// (or signature check) is one one-shot call over contiguous bytes. The text parts are header values as received (never
/// re-formatted); HubSpot is the one provider that signs something after the body.
/// </summary>
internal ref struct SignedPayload
{
    private byte[]? _rented;

    private SignedPayload(byte[] rented, int length)
    {
        _rented = rented;
        Span = rented.AsSpan(0, length);
    }

    public ReadOnlySpan<byte> Span { get; }

    public static SignedPayload Create(
        ReadOnlySpan<char> part1, ReadOnlySpan<char> part2, ReadOnlySpan<char> part3, ReadOnlySpan<char> part4, ReadOnlySpan<byte> body, ReadOnlySpan<char> suffix = default)
    {
        var textLength = Encoding.UTF8.GetByteCount(part1) + Encoding.UTF8.GetByteCount(part2) + Encoding.UTF8.GetByteCount(part3) + Encoding.UTF8.GetByteCount(part4) +
            Encoding.UTF8.GetByteCount(suffix);
        var rented = ArrayPool<byte>.Shared.Rent(textLength + body.Length);
        var span = rented.AsSpan();
        var at = Encoding.UTF8.GetBytes(part1, span);
        at += Encoding.UTF8.GetBytes(part2, span[at..]);
        at += Encoding.UTF8.GetBytes(part3, span[at..]);
        at += Encoding.UTF8.GetBytes(part4, span[at..]);
        body.CopyTo(span[at..]);
        at += body.Length;
        at += Encoding.UTF8.GetBytes(suffix, span[at..]);
        return new SignedPayload(rented, at);
    }

    public void Dispose()
    {
        if (_rented is not null)
        {
            ArrayPool<byte>.Shared.Return(_rented);
            _rented = null;
        }
    }
}
