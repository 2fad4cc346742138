using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Integrations.Core.Webhooks.Schemes;

/// <summary>
/// The small, non-throwing pieces the twilio, hubspot, zoom, mailgun, sendgrid and discord schemes share: constant-time
/// comparison, strict Int64 timestamps with a two-sided tolerance, hex/base64 decoding that reports failure instead of
/// throwing, form parsing of raw bytes and reading JSON values from the raw UTF-8 body.
/// </summary>
internal static class SchemeEncoding
{
    /// <summary>Longest decimal an Int64 can have (19 digits); anything longer is refused before parsing.</summary>
    private const int MaxInt64Digits = 19;

    public static WebhookVerification NoKeys() =>
        WebhookVerification.Refuse(WebhookRefusal.BadSignature, "The source has no active signing secret.");

    /// <summary>Constant-time equality; false for different lengths (a length leaks nothing secret: every MAC has a fixed size).</summary>
    public static bool FixedTimeEquals(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right) =>
        CryptographicOperations.FixedTimeEquals(left, right);

    /// <summary>
    /// A timestamp as the provider sends it: ASCII digits only (no sign, spaces, decimals or exponent), at most 19 of them,
    /// parsed as Int64. <see cref="WebhookRefusal.Malformed"/> otherwise.
    /// </summary>
    public static bool TryParseTimestamp(string header, string value, out long timestamp, out WebhookVerification? refusal)
    {
        timestamp = 0;
        refusal = null;
        if (value.Length is 0 or > MaxInt64Digits || value.AsSpan().ContainsAnyExcept(AsciiDigits)
            || !long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out timestamp))
        {
            refusal = WebhookVerification.Refuse(WebhookRefusal.Malformed, $"The {header} value is not a Unix timestamp (a 64-bit integer).");
            return false;
        }

        return true;
    }

    private static readonly SearchValues<char> AsciiDigits = SearchValues.Create("0123456789");

    /// <summary>
    /// Whether <paramref name="timestamp"/> (in units per second: 1 for seconds, 1000 for milliseconds) lies within
    /// <paramref name="toleranceSeconds"/> of <paramref name="receivedAt"/>, in the past or the future. Computed without
    /// overflow for any Int64.
    /// </summary>
    public static WebhookVerification? CheckTolerance(string header, long timestamp, long unitsPerSecond, DateTimeOffset receivedAt, int toleranceSeconds)
    {
        var now = unitsPerSecond == 1000 ? receivedAt.ToUnixTimeMilliseconds() : receivedAt.ToUnixTimeSeconds();
        var tolerance = (long)Math.Max(0, toleranceSeconds) * unitsPerSecond;

        // now is far from both Int64 ends and tolerance is at most int.MaxValue * 1000, so neither bound overflows.
        if (timestamp < now - tolerance)
        {
            return WebhookVerification.Refuse(WebhookRefusal.Stale, $"The {header} timestamp is more than {toleranceSeconds} s in the past.");
        }

        if (timestamp > now + tolerance)
        {
            return WebhookVerification.Refuse(WebhookRefusal.Stale, $"The {header} timestamp is more than {toleranceSeconds} s in the future.");
        }

        return null;
    }

    /// <summary>Lower- or upper-case hex into a new array; null when not hex (odd length, other characters).</summary>
    public static byte[]? TryDecodeHex(ReadOnlySpan<char> hex)
    {
        if (hex.Length == 0 || hex.Length % 2 != 0 || hex.ContainsAnyExcept(HexDigits))
        {
            return null;
        }

        var bytes = new byte[hex.Length / 2];
        return Convert.FromHexString(hex, bytes, out _, out var written) == OperationStatus.Done && written == bytes.Length ? bytes : null;
    }

    private static readonly SearchValues<char> HexDigits = SearchValues.Create("0123456789abcdefABCDEF");

    /// <summary>Standard base64 (with padding) into a new array; null when not base64.</summary>
    public static byte[]? TryDecodeBase64(string base64)
    {
        if (base64.Length == 0)
        {
            return null;
        }

        var buffer = new byte[(base64.Length * 3 / 4) + 3];
        return Convert.TryFromBase64String(base64, buffer, out var written) ? buffer.AsSpan(0, written).ToArray() : null;
    }

    /// <summary>Lower-case hex of SHA-256 over <paramref name="data"/>.</summary>
    public static string Sha256Hex(ReadOnlySpan<byte> data)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(data, hash);
        return Convert.ToHexStringLower(hash);
    }

    /// <summary>
    /// An id for a batch delivery (HubSpot, SendGrid) that is stable across the provider's retries: the single event's id,
    /// or for several events a hash of their ids in order (the body itself may differ per attempt, e.g. HubSpot's attemptNumber).
    /// </summary>
    public static string? BatchId(IReadOnlyList<string> ids) => ids.Count switch
    {
        0 => null,
        1 => ids[0],
        _ => "batch_" + Sha256Hex(Encoding.UTF8.GetBytes(string.Join('\n', ids)))[..32],
    };

    /// <summary>Whether the Content-Type header names <paramref name="mediaType"/> (parameters such as charset ignored).</summary>
    public static bool HasMediaType(WebhookHeaders headers, string mediaType)
    {
        var values = headers.GetAll("Content-Type");
        if (values.Count != 1)
        {
            return false;
        }

        var value = values[0].AsSpan();
        var semicolon = value.IndexOf(';');
        return (semicolon < 0 ? value : value[..semicolon]).Trim().Equals(mediaType, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// <c>application/x-www-form-urlencoded</c> pairs from the raw bytes, in order, duplicates kept: <c>+</c> is a space,
    /// <c>%XX</c> a byte (a <c>%</c> not followed by two hex digits stays as it is, as browsers and Twilio's SDKs do), and the
    /// decoded bytes are UTF-8.
    /// </summary>
    public static List<KeyValuePair<string, string>> ParseForm(ReadOnlySpan<byte> body)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        while (!body.IsEmpty)
        {
            var amp = body.IndexOf((byte)'&');
            var pair = amp < 0 ? body : body[..amp];
            body = amp < 0 ? [] : body[(amp + 1)..];
            if (pair.IsEmpty)
            {
                continue;
            }

            var eq = pair.IndexOf((byte)'=');
            var name = FormDecode(eq < 0 ? pair : pair[..eq]);
            var value = eq < 0 ? string.Empty : FormDecode(pair[(eq + 1)..]);
            pairs.Add(new(name, value));
        }

        return pairs;
    }

    private static string FormDecode(ReadOnlySpan<byte> encoded)
    {
        var decoded = encoded.Length <= 256 ? stackalloc byte[encoded.Length] : new byte[encoded.Length];
        var length = 0;
        for (var i = 0; i < encoded.Length; i++)
        {
            var b = encoded[i];
            if (b == (byte)'+')
            {
                decoded[length++] = (byte)' ';
            }
            else if (b == (byte)'%' && i + 2 < encoded.Length && IsHex(encoded[i + 1]) && IsHex(encoded[i + 2]))
            {
                decoded[length++] = (byte)((HexValue(encoded[i + 1]) << 4) | HexValue(encoded[i + 2]));
                i += 2;
            }
            else
            {
                decoded[length++] = b;
            }
        }

        return Encoding.UTF8.GetString(decoded[..length]);
    }

    private static bool IsHex(byte b) => b is (>= (byte)'0' and <= (byte)'9') or (>= (byte)'a' and <= (byte)'f') or (>= (byte)'A' and <= (byte)'F');

    private static int HexValue(byte b) => b <= (byte)'9' ? b - '0' : (b | 0x20) - 'a' + 10;

    /// <summary>The body parsed as JSON; null (and a <see cref="WebhookRefusal.Malformed"/> refusal) when it is not.</summary>
    public static JsonDocument? TryParseJson(ReadOnlyMemory<byte> body, out WebhookVerification? refusal)
    {
        refusal = null;
        try
        {
            return JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException)
        {
            refusal = WebhookVerification.Refuse(WebhookRefusal.Malformed, "The body is not valid JSON.");
            return null;
        }
    }

    /// <summary>
    /// The value at <paramref name="path"/> (property names, one per level) as text: a JSON string's value, a number's raw
    /// text (an id such as HubSpot's <c>eventId</c> must not go through a double); null when absent or of another kind.
    /// </summary>
    public static string? GetText(JsonElement element, params ReadOnlySpan<string> path)
    {
        foreach (var name in path)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element))
            {
                return null;
            }
        }

        return element.ValueKind switch
        {
            JsonValueKind.String => element.GetString(),
            JsonValueKind.Number => element.GetRawText(),
            _ => null,
        };
    }
}
