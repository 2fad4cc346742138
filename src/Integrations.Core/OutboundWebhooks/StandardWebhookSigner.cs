using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Integrations.Core.Webhooks.Schemes;

namespace Integrations.Core.OutboundWebhooks;

// https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md#signature-scheme
/// <summary>
/// Signs an outbound delivery with the Standard Webhooks scheme: <c>webhook-id</c> = the message id (the same on every
/// attempt, so receivers deduplicate by it), <c>webhook-timestamp</c> = the attempt's Unix seconds, <c>webhook-signature</c> =
/// a space-separated <c>v1,&lt;base64 HMAC-SHA256&gt;</c> per active secret (during a rotation's overlap both sign, so a receiver
/// holding either verifies). The HMAC itself is <see cref="StandardWebhooksSignature"/>, which the inbound scheme verifies with.
/// </summary>
public static class StandardWebhookSigner
{
    public const string IdHeader = StandardWebhooksScheme.IdHeader;
    public const string TimestampHeader = StandardWebhooksScheme.TimestampHeader;
    public const string SignatureHeader = StandardWebhooksScheme.SignatureHeader;

    /// <summary>The three headers of a delivery of <paramref name="body"/> made at <paramref name="at"/>, signed by every secret in <paramref name="secrets"/>.</summary>
    /// <exception cref="ArgumentException">No secret, or one that is not <c>whsec_</c> followed by base64 (a programmer or storage error: the hub generates them).</exception>
    public static IReadOnlyList<KeyValuePair<string, string>> Headers(string messageId, DateTimeOffset at, ReadOnlySpan<byte> body, IReadOnlyList<string> secrets)
    {
        var timestamp = at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return
        [
            KeyValuePair.Create(IdHeader, messageId),
            KeyValuePair.Create(TimestampHeader, timestamp),
            KeyValuePair.Create(SignatureHeader, Sign(messageId, timestamp, body, secrets)),
        ];
    }

    /// <summary>The <c>webhook-signature</c> value: <c>v1,&lt;base64&gt;</c> for each secret, in the order given, space-separated.</summary>
    /// <param name="timestamp">The <c>webhook-timestamp</c> value exactly as sent (Unix seconds).</param>
    public static string Sign(string messageId, string timestamp, ReadOnlySpan<byte> body, IReadOnlyList<string> secrets)
    {
        ArgumentException.ThrowIfNullOrEmpty(messageId);
        ArgumentException.ThrowIfNullOrEmpty(timestamp);
        ArgumentNullException.ThrowIfNull(secrets);
        if (secrets.Count == 0)
        {
            throw new ArgumentException("A delivery is signed by at least one secret.", nameof(secrets));
        }

        var header = new StringBuilder(secrets.Count * 48);
        Span<byte> key = stackalloc byte[StandardWebhooksSignature.MaxKeyLength];
        Span<byte> mac = stackalloc byte[StandardWebhooksSignature.MacLength];
        using var content = StandardWebhooksSignature.Content(messageId, timestamp, body);
        try
        {
            foreach (var secret in secrets)
            {
                if (!StandardWebhooksSignature.TryDecodeSecret(secret, key, out var length))
                {
                    // Never the value: only that it is not of the expected form.
                    throw new ArgumentException("A signing secret is not whsec_ followed by base64.", nameof(secrets));
                }

                StandardWebhooksSignature.Compute(key[..length], content.Span, mac);
                if (header.Length > 0)
                {
                    header.Append(' ');
                }

                header.Append(StandardWebhooksSignature.Version).Append(',').Append(Convert.ToBase64String(mac));
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
            CryptographicOperations.ZeroMemory(mac);
        }

        return header.ToString();
    }
}
