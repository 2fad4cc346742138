using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace Integrations.Core.Webhooks.Schemes;

// Decoding writes into a buffer the caller sized for what it expects (a MAC, a signature, a key; usually on the stack), so a
// wrong length is a false return, never an exception or an allocation. Form bodies (Twilio, Mailgun) are parsed here too.
internal static partial class SchemeSupport
{
    /// <summary>Decodes exactly <c>destination.Length</c> bytes of hex (either case); false for any other length or character.</summary>
    public static bool TryDecodeHex(ReadOnlySpan<char> text, Span<byte> destination) =>
        text.Length == destination.Length * 2 &&
        Convert.FromHexString(text, destination, out _, out var written) == OperationStatus.Done &&
        written == destination.Length;

    /// <summary>Decodes standard base64 (with padding); false instead of an exception for anything else.</summary>
    public static bool TryDecodeBase64(ReadOnlySpan<char> text, Span<byte> destination, out int written) =>
        Convert.TryFromBase64Chars(text, destination, out written);

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
}
