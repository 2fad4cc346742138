using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Integrations.Core.Webhooks.Schemes;

/// <summary>
/// The small pieces every HMAC scheme shares: strict Unix-time parsing and the two-sided tolerance check, hex/base64
/// decoding that never throws, HMAC into stack buffers with a constant-time comparison, and reading one JSON value from the
/// raw body without building a DOM. Nothing here throws for bad input and nothing puts a secret or a signature into a reason.
/// </summary>
internal static class SchemeSupport
{
    /// <summary>At most this many signatures are taken from one header (a roll sends two or three; more is an attack on CPU).</summary>
    public const int MaxSignatures = 32;

    /// <summary>The largest MAC any scheme here produces (HMAC-SHA512).</summary>
    public const int MaxMacLength = 64;

    private const int StackKeyLength = 256;

    /// <summary>A Unix time as the provider wrote it: ASCII digits only (no sign, no spaces, no decimals), fitting in an Int64.</summary>
    public static bool TryParseUnixTime(ReadOnlySpan<char> text, out long value) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);

    /// <summary>
    /// The refusal for a signed time more than <paramref name="toleranceSeconds"/> away from the receive time, in either
    /// direction (a future time is as suspect as an old one: it would outlive the idempotency window); null when inside.
    /// </summary>
    public static WebhookVerification? CheckTolerance(long signedUnixSeconds, DateTimeOffset receivedAt, int toleranceSeconds, string what) =>
        CheckToleranceMilliseconds(
            signedUnixSeconds > long.MaxValue / 1000 ? long.MaxValue : signedUnixSeconds * 1000,
            receivedAt,
            toleranceSeconds,
            what);

    /// <summary><see cref="CheckTolerance"/> for a time in Unix milliseconds (Linear's <c>webhookTimestamp</c>).</summary>
    public static WebhookVerification? CheckToleranceMilliseconds(long signedUnixMilliseconds, DateTimeOffset receivedAt, int toleranceSeconds, string what)
    {
        var now = receivedAt.ToUnixTimeMilliseconds();
        var tolerance = Math.Max(0L, toleranceSeconds) * 1000L;

        // Both operands are non-negative, so neither subtraction can overflow.
        if (signedUnixMilliseconds < 0 || now - signedUnixMilliseconds > tolerance)
        {
            return WebhookVerification.Refuse(WebhookRefusal.Stale, $"The {what} is more than {toleranceSeconds} seconds older than the receive time.");
        }

        if (signedUnixMilliseconds - now > tolerance)
        {
            return WebhookVerification.Refuse(WebhookRefusal.Stale, $"The {what} is more than {toleranceSeconds} seconds ahead of the receive time.");
        }

        return null;
    }

    /// <summary>Decodes exactly <c>destination.Length</c> bytes of hex (either case); false for any other length or character.</summary>
    public static bool TryDecodeHex(ReadOnlySpan<char> text, Span<byte> destination) =>
        text.Length == destination.Length * 2 &&
        Convert.FromHexString(text, destination, out _, out var written) == OperationStatus.Done &&
        written == destination.Length;

    /// <summary>Decodes standard base64 (with padding); false instead of an exception for anything else.</summary>
    public static bool TryDecodeBase64(ReadOnlySpan<char> text, Span<byte> destination, out int written) =>
        Convert.TryFromBase64Chars(text, destination, out written);

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

    /// <summary>The refusal when no key matched: names the header, never a value.</summary>
    public static WebhookVerification NoMatch(string header, int keyCount) =>
        WebhookVerification.Refuse(
            WebhookRefusal.BadSignature,
            keyCount == 0
                ? "The source has no active signing secret."
                : $"No active signing secret of the source produced the signature in {header}.");

    /// <summary>
    /// Reads the value at <paramref name="pointer"/> (RFC 6901, e.g. <c>/id</c> or <c>/event/type</c>) in the raw JSON body
    /// as a string: a JSON string as its text, a JSON number as its literal; null when the body is not JSON, the pointer
    /// finds nothing, or the value is of another kind.
    /// </summary>
    public static string? ReadJsonText(ReadOnlySpan<byte> json, string pointer)
    {
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 64 });
            if (!MoveTo(ref reader, pointer))
            {
                return null;
            }

            return reader.TokenType switch
            {
                JsonTokenType.String => reader.GetString(),
                JsonTokenType.Number => Encoding.UTF8.GetString(reader.ValueSpan),
                _ => null,
            };
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>Reads an integer JSON number at <paramref name="pointer"/>: found and parsed, found but not an Int64, or absent.</summary>
    public static JsonLookup ReadJsonInt64(ReadOnlySpan<byte> json, string pointer, out long value)
    {
        value = 0;
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 64 });
            if (!MoveTo(ref reader, pointer))
            {
                return JsonLookup.Absent;
            }

            return reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out value) ? JsonLookup.Found : JsonLookup.Invalid;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentException)
        {
            return JsonLookup.Absent;
        }
    }

    /// <summary>Whether <paramref name="pointer"/> is an RFC 6901 JSON pointer that names something inside the document.</summary>
    public static bool IsJsonPointer(string? pointer)
    {
        if (string.IsNullOrEmpty(pointer) || pointer[0] != '/')
        {
            return false;
        }

        // "~" must be followed by 0 or 1 (RFC 6901 §3).
        for (var i = 0; i < pointer.Length; i++)
        {
            if (pointer[i] == '~' && (i + 1 == pointer.Length || (pointer[i + 1] != '0' && pointer[i + 1] != '1')))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Walks the reader to the value at <paramref name="pointer"/>, skipping every sibling without materialising it.</summary>
    private static bool MoveTo(ref Utf8JsonReader reader, string pointer)
    {
        if (!IsJsonPointer(pointer) || !reader.Read())
        {
            return false;
        }

        var rest = pointer.AsSpan(1);
        while (true)
        {
            var slash = rest.IndexOf('/');
            var segment = slash < 0 ? rest : rest[..slash];
            if (!MoveToChild(ref reader, Unescape(segment)))
            {
                return false;
            }

            if (slash < 0)
            {
                return true;
            }

            rest = rest[(slash + 1)..];
        }
    }

    private static ReadOnlySpan<char> Unescape(ReadOnlySpan<char> segment) =>
        segment.Contains('~') ? segment.ToString().Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal) : segment;

    /// <summary>From a container token, moves to its child named <paramref name="segment"/> (a property name, or an index in an array).</summary>
    private static bool MoveToChild(ref Utf8JsonReader reader, ReadOnlySpan<char> segment)
    {
        if (reader.TokenType == JsonTokenType.StartObject)
        {
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var match = reader.ValueTextEquals(segment);
                if (!reader.Read())
                {
                    return false;
                }

                if (match)
                {
                    return true;
                }

                reader.Skip();
            }

            return false;
        }

        if (reader.TokenType == JsonTokenType.StartArray &&
            int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out var index) &&
            (segment.Length == 1 || segment[0] != '0'))
        {
            for (var i = 0; reader.Read() && reader.TokenType != JsonTokenType.EndArray; i++)
            {
                if (i == index)
                {
                    return true;
                }

                reader.Skip();
            }
        }

        return false;
    }
}

/// <summary>What <see cref="SchemeSupport.ReadJsonInt64"/> found.</summary>
internal enum JsonLookup
{
    Absent,
    Found,
    Invalid,
}

/// <summary>
/// A signed payload of the form <c>{part1}{part2}{part3}{part4}{body}</c> built once into a pooled buffer, so each key's HMAC is one
/// one-shot call over contiguous bytes. The prefix parts are header values as received (never re-formatted).
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

    public static SignedPayload Create(ReadOnlySpan<char> part1, ReadOnlySpan<char> part2, ReadOnlySpan<char> part3, ReadOnlySpan<char> part4, ReadOnlySpan<byte> body)
    {
        var prefixLength = Encoding.UTF8.GetByteCount(part1) + Encoding.UTF8.GetByteCount(part2) + Encoding.UTF8.GetByteCount(part3) + Encoding.UTF8.GetByteCount(part4);
        var rented = ArrayPool<byte>.Shared.Rent(prefixLength + body.Length);
        var span = rented.AsSpan();
        var at = Encoding.UTF8.GetBytes(part1, span);
        at += Encoding.UTF8.GetBytes(part2, span[at..]);
        at += Encoding.UTF8.GetBytes(part3, span[at..]);
        at += Encoding.UTF8.GetBytes(part4, span[at..]);
        body.CopyTo(span[at..]);
        return new SignedPayload(rented, at + body.Length);
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
