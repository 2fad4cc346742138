using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Integrations.Core.Webhooks.Schemes;

// Follows https://developers.zoom.us/docs/api/webhooks/#verify-webhook-events and #validate-your-webhook-endpoint.
/// <summary>
/// Zoom: <c>x-zm-signature: v0=&lt;hex&gt;</c> = HMAC-SHA256, keyed with the app's secret token, over
/// <c>v0:{x-zm-request-timestamp}:{body}</c>; the timestamp (Unix seconds) is checked against the source's tolerance both
/// ways. The <c>endpoint.url_validation</c> event is answered, once verified, with
/// <c>{"plainToken": …, "encryptedToken": hex HMAC-SHA256(plainToken)}</c> under the key that verified it.
/// </summary>
/// <remarks>
/// Event type: the body's <c>event</c> (e.g. <c>meeting.started</c>, <c>app_deauthorized</c>). Event id:
/// <c>{event}:{event_ts}:{hash of the body}</c> — Zoom retries the same body, while <c>event</c> + <c>event_ts</c> alone could
/// merge two events of one type in the same millisecond, and Zoom does not document whether <c>x-zm-trackingid</c> is kept
/// across retries.
/// </remarks>
public sealed class ZoomScheme : IWebhookScheme
{
    public const string SignatureHeader = "x-zm-signature";
    public const string TimestampHeader = "x-zm-request-timestamp";
    public const string UrlValidationEvent = "endpoint.url_validation";
    private const string Version = "v0";

    public string Name => WebhookSchemes.Zoom;

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
        if (!request.Headers.TryGetSingle(SignatureHeader, out var signatureText, out var refusal)
            || !request.Headers.TryGetSingle(TimestampHeader, out var timestampText, out refusal))
        {
            return refusal!;
        }

        if (!SchemeEncoding.TryParseTimestamp(TimestampHeader, timestampText, out var timestamp, out refusal))
        {
            return refusal!;
        }

        var signature = signatureText.StartsWith(Version + "=", StringComparison.Ordinal)
            ? SchemeEncoding.TryDecodeHex(signatureText.AsSpan(Version.Length + 1).Trim())
            : null;
        if (signature is null || signature.Length != SHA256.HashSizeInBytes)
        {
            return WebhookVerification.Refuse(WebhookRefusal.Malformed, $"The {SignatureHeader} header is not v0= followed by a hex HMAC-SHA256.");
        }

        var prefix = Encoding.UTF8.GetBytes($"{Version}:{timestampText}:");
        Span<byte> mac = stackalloc byte[SHA256.HashSizeInBytes];
        foreach (var key in keys)
        {
            var secret = Encoding.UTF8.GetBytes(key.Value);
            using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, secret);
            hmac.AppendData(prefix);
            hmac.AppendData(request.Body.Span);
            hmac.GetHashAndReset(mac);
            if (SchemeEncoding.FixedTimeEquals(mac, signature))
            {
                return SchemeEncoding.CheckTolerance(TimestampHeader, timestamp, 1, request.ReceivedAt, settings.ToleranceSeconds)
                    ?? Identify(request.Body, secret, key.Id);
            }
        }

        return keys.Count == 0
            ? SchemeEncoding.NoKeys()
            : WebhookVerification.Refuse(WebhookRefusal.BadSignature, $"No active secret produced the {SignatureHeader} signature for this timestamp and body.");
    }

    private static WebhookVerification Identify(ReadOnlyMemory<byte> body, byte[] secret, string keyId)
    {
        using var json = SchemeEncoding.TryParseJson(body, out var refusal);
        if (json is null)
        {
            return refusal!;
        }

        var root = json.RootElement;
        var eventType = SchemeEncoding.GetText(root, "event");
        if (eventType is null)
        {
            return WebhookVerification.Refuse(WebhookRefusal.Malformed, "The body has no event field.");
        }

        if (eventType == UrlValidationEvent)
        {
            if (SchemeEncoding.GetText(root, "payload", "plainToken") is not { Length: > 0 } plainToken
                || root.GetProperty("payload").GetProperty("plainToken").ValueKind != JsonValueKind.String)
            {
                return WebhookVerification.Refuse(WebhookRefusal.Malformed, "The endpoint.url_validation body has no payload.plainToken string.");
            }

            var encryptedToken = Convert.ToHexStringLower(HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes(plainToken)));
            return WebhookVerification.Answer(new WebhookChallenge("application/json", ChallengeBody(plainToken, encryptedToken)), keyId);
        }

        var eventTs = SchemeEncoding.GetText(root, "event_ts") ?? string.Empty;
        var id = $"{eventType}:{eventTs}:{SchemeEncoding.Sha256Hex(body.Span)[..16]}";
        return WebhookVerification.Verified(id, eventType, keyId);
    }

    private static string ChallengeBody(string plainToken, string encryptedToken)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteString("plainToken", plainToken);
            writer.WriteString("encryptedToken", encryptedToken);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
