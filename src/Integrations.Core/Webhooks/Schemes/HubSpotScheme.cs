using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Integrations.Core.Webhooks.Schemes;

// Follows https://developers.hubspot.com/docs/apps/developer-platform/build-apps/authentication/request-validation (v3).
/// <summary>
/// HubSpot v3: <c>X-HubSpot-Signature-v3</c> = base64 HMAC-SHA256, keyed with the app's client secret, over the UTF-8 of
/// method + URI + body + <c>X-HubSpot-Request-Timestamp</c> (Unix milliseconds, as sent). The URI is the full public URL
/// with the twelve percent-encodings the documentation lists decoded (<c>%3A</c> <c>%2F</c> <c>%3F</c> <c>%40</c> <c>%21</c>
/// <c>%24</c> <c>%27</c> <c>%28</c> <c>%29</c> <c>%2A</c> <c>%2C</c> <c>%3B</c>) and every other one left as it is. HubSpot
/// says to refuse timestamps older than 5 minutes; the source's tolerance (default 300 s) is applied both ways.
/// </summary>
/// <remarks>
/// The body is a JSON array of up to 100 events. Event id: the single event's <c>eventId</c>, or for a batch a hash of its
/// <c>eventId</c>s (HubSpot's retries change <c>attemptNumber</c>, so the body itself is no id). Event type: the first
/// event's <c>subscriptionType</c>.
/// </remarks>
public sealed class HubSpotScheme : IWebhookScheme
{
    public const string SignatureHeader = "X-HubSpot-Signature-v3";
    public const string TimestampHeader = "X-HubSpot-Request-Timestamp";
    private const int MacLength = 32;

    public string Name => WebhookSchemes.HubSpot;

    public bool Recognizes(WebhookHeaders headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        return headers.Contains(SignatureHeader);
    }

    public WebhookVerification Verify(WebhookRequest request, IReadOnlyList<WebhookSigningKey> keys, WebhookSourceSettings settings)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(settings);
        if (!SchemeSupport.TryGetTimestampedSignature(
                request.Headers, SignatureHeader, TimestampHeader, "milliseconds", out var signatureText, out var timestampText, out var timestamp, out var refusal))
        {
            return refusal!;
        }

        Span<byte> signature = stackalloc byte[MacLength + 3];
        if (!SchemeSupport.TryDecodeBase64(signatureText.AsSpan().Trim(), signature, out var written) || written != MacLength)
        {
            return WebhookVerification.Refuse(WebhookRefusal.Malformed, $"The {SignatureHeader} header is not a base64 HMAC-SHA256.");
        }

        using var payload = SignedPayload.Create(request.Method, DecodeUri(request.PublicUrl), default, default, request.Body.Span, timestampText);
        var keyId = SchemeSupport.FindMatchingUtf8Key(keys, HashAlgorithmName.SHA256, payload.Span, signature[..MacLength], MacLength);
        if (keyId is null)
        {
            return SchemeSupport.NoMatch(SignatureHeader, keys.Count, "this method, URI, body and timestamp");
        }

        return SchemeSupport.CheckToleranceMilliseconds(timestamp, request.ReceivedAt, settings.ToleranceSeconds, $"{TimestampHeader} header")
            ?? Identify(request.Body, keyId);
    }

    /// <summary>The documented decoding of the request URI: exactly these twelve escapes (either hex case), nothing else.</summary>
    internal static string DecodeUri(string uri)
    {
        if (!uri.Contains('%', StringComparison.Ordinal))
        {
            return uri;
        }

        var builder = new StringBuilder(uri.Length);
        for (var i = 0; i < uri.Length; i++)
        {
            if (uri[i] == '%' && i + 2 < uri.Length && Decoded(uri[i + 1], uri[i + 2]) is { } c)
            {
                builder.Append(c);
                i += 2;
            }
            else
            {
                builder.Append(uri[i]);
            }
        }

        return builder.ToString();
    }

    private static char? Decoded(char high, char low) => (high, char.ToUpperInvariant(low)) switch
    {
        ('3', 'A') => ':',
        ('2', 'F') => '/',
        ('3', 'F') => '?',
        ('4', '0') => '@',
        ('2', '1') => '!',
        ('2', '4') => '$',
        ('2', '7') => '\'',
        ('2', '8') => '(',
        ('2', '9') => ')',
        ('2', 'A') => '*',
        ('2', 'C') => ',',
        ('3', 'B') => ';',
        _ => null,
    };

    private static WebhookVerification Identify(ReadOnlyMemory<byte> body, string keyId)
    {
        using var json = SchemeSupport.TryParseJson(body, out _);
        if (json is null)
        {
            // Verified but not JSON (a CRM card or workflow request can be): the body is the only identity it has.
            return WebhookVerification.Verified("sha256_" + SchemeSupport.Sha256Hex(body.Span)[..32], null, keyId);
        }

        var root = json.RootElement;
        if (root.ValueKind == JsonValueKind.Array)
        {
            var ids = new List<string>();
            string? type = null;
            foreach (var item in root.EnumerateArray())
            {
                type ??= SchemeSupport.ReadJsonText(item, "subscriptionType");
                if (SchemeSupport.ReadJsonText(item, "eventId") is { } id)
                {
                    ids.Add(id);
                }
            }

            return WebhookVerification.Verified(SchemeSupport.BatchId(ids) ?? "sha256_" + SchemeSupport.Sha256Hex(body.Span)[..32], type, keyId);
        }

        return WebhookVerification.Verified(
            SchemeSupport.ReadJsonText(root, "eventId") ?? "sha256_" + SchemeSupport.Sha256Hex(body.Span)[..32],
            SchemeSupport.ReadJsonText(root, "subscriptionType"),
            keyId);
    }
}
