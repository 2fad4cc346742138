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
    private const int MacLength = 32;

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
        if (!SchemeSupport.TryGetTimestampedSignature(
                request.Headers, SignatureHeader, TimestampHeader, "seconds", out var signatureText, out var timestampText, out var timestamp, out var refusal))
        {
            return refusal!;
        }

        Span<byte> signature = stackalloc byte[MacLength];
        if (!signatureText.StartsWith(Version + "=", StringComparison.Ordinal)
            || !SchemeSupport.TryDecodeHex(signatureText.AsSpan(Version.Length + 1).Trim(), signature))
        {
            return WebhookVerification.Refuse(WebhookRefusal.Malformed, $"The {SignatureHeader} header is not v0= followed by a hex HMAC-SHA256.");
        }

        using var payload = SignedPayload.Create(Version, ":", timestampText, ":", request.Body.Span);
        foreach (var key in keys)
        {
            if (SchemeSupport.MacMatchesUtf8Key(HashAlgorithmName.SHA256, key.Value, payload.Span, signature, MacLength))
            {
                return SchemeSupport.CheckTolerance(timestamp, request.ReceivedAt, settings.ToleranceSeconds, $"{TimestampHeader} header")
                    ?? Identify(request.Body, key.Value, key.Id);
            }
        }

        return SchemeSupport.NoMatch(SignatureHeader, keys.Count, "this timestamp and body");
    }

    private static WebhookVerification Identify(ReadOnlyMemory<byte> body, string secret, string keyId)
    {
        using var json = SchemeSupport.TryParseJson(body, out var refusal);
        if (json is null)
        {
            return refusal!;
        }

        var root = json.RootElement;
        var eventType = SchemeSupport.ReadJsonText(root, "event");
        if (eventType is null)
        {
            return WebhookVerification.Refuse(WebhookRefusal.Malformed, "The body has no event field.");
        }

        if (eventType == UrlValidationEvent)
        {
            if (SchemeSupport.ReadJsonText(root, "payload", "plainToken") is not { Length: > 0 } plainToken
                || root.GetProperty("payload").GetProperty("plainToken").ValueKind != JsonValueKind.String)
            {
                return WebhookVerification.Refuse(WebhookRefusal.Malformed, "The endpoint.url_validation body has no payload.plainToken string.");
            }

            var encryptedToken = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(plainToken)));
            return WebhookVerification.Answer(new WebhookChallenge("application/json", ChallengeBody(plainToken, encryptedToken)), keyId);
        }

        var eventTs = SchemeSupport.ReadJsonText(root, "event_ts") ?? string.Empty;
        var id = $"{eventType}:{eventTs}:{SchemeSupport.Sha256Hex(body.Span)[..16]}";
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
