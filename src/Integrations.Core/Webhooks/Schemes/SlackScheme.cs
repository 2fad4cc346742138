using System.Text;

namespace Integrations.Core.Webhooks.Schemes;

// https://api.slack.com/authentication/verifying-requests-from-slack
/// <summary>
/// Slack: <c>X-Slack-Signature: v0={hex}</c>, HMAC-SHA256 of <c>v0:{X-Slack-Request-Timestamp}:{body}</c> keyed with the
/// signing secret as UTF-8, over the raw bytes whatever the content type (Events API JSON, or form-encoded slash commands and
/// interactivity). A verified <c>url_verification</c> is answered with its challenge as <c>text/plain</c>
/// (https://api.slack.com/events/url_verification). For an Events API <c>event_callback</c> the id is <c>event_id</c> and the
/// type is the inner <c>event.type</c> (<c>tokens_revoked</c>, <c>app_uninstalled</c> …); otherwise the type is the body's
/// <c>type</c> (for interactivity, the <c>type</c> inside the form's <c>payload</c>) and there is no id.
/// </summary>
public sealed class SlackScheme : IWebhookScheme
{
    public const string SignatureHeader = "X-Slack-Signature";
    public const string TimestampHeader = "X-Slack-Request-Timestamp";

    private const string Version = "v0";
    private const string Prefix = "v0=";

    public string Name => WebhookSchemes.Slack;

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

        var headers = request.Headers;
        if (!headers.TryGetSingle(SignatureHeader, out var signature, out var refusal) ||
            !headers.TryGetSingle(TimestampHeader, out var timestamp, out refusal))
        {
            return refusal!;
        }

        if (!SchemeSupport.TryParseUnixTime(timestamp, out var signedAt))
        {
            return SchemeSupport.NotAUnixTime($"{TimestampHeader} header");
        }

        string? keyId;
        using (var payload = SignedPayload.Create(Version, ":", timestamp, ":", request.Body.Span))
        {
            if (!SchemeSupport.TryMatchHmacSha256Header(SignatureHeader, signature, Prefix, MacText.Hex, payload.Span, keys, out keyId, out refusal))
            {
                return refusal;
            }
        }

        if (SchemeSupport.CheckTolerance(signedAt, request.ReceivedAt, settings.ToleranceSeconds, $"{TimestampHeader} header") is { } stale)
        {
            return stale;
        }

        return Describe(request.Body.Span, keyId);
    }

    /// <summary>What a verified body is: a challenge to answer, or an event with its id and type.</summary>
    private static WebhookVerification Describe(ReadOnlySpan<byte> body, string keyId)
    {
        if (!LooksLikeJson(body))
        {
            return WebhookVerification.Verified(null, FormPayloadType(body), keyId);
        }

        var type = SchemeSupport.ReadJsonText(body, "/type");
        switch (type)
        {
            case "url_verification":
                var challenge = SchemeSupport.ReadJsonText(body, "/challenge");
                return string.IsNullOrEmpty(challenge)
                    ? WebhookVerification.Refuse(WebhookRefusal.Malformed, "The url_verification request has no challenge.")
                    : WebhookVerification.Answer(new WebhookChallenge("text/plain", challenge), keyId);
            case "event_callback":
                return WebhookVerification.Verified(
                    SchemeSupport.ReadJsonText(body, "/event_id"),
                    SchemeSupport.ReadJsonText(body, "/event/type") ?? type,
                    keyId);
            default:
                return WebhookVerification.Verified(null, type, keyId);
        }
    }

    private static bool LooksLikeJson(ReadOnlySpan<byte> body)
    {
        var trimmed = body.TrimStart(" \t\r\n"u8);
        return !trimmed.IsEmpty && trimmed[0] == (byte)'{';
    }

    /// <summary>Interactivity posts <c>payload={url-encoded JSON}</c>: its <c>type</c> (<c>block_actions</c> …), or null.</summary>
    private static string? FormPayloadType(ReadOnlySpan<byte> body)
    {
        var form = Encoding.UTF8.GetString(body).AsSpan();
        foreach (var range in form.Split('&'))
        {
            var field = form[range];
            if (!field.StartsWith("payload=", StringComparison.Ordinal))
            {
                continue;
            }

            var json = Uri.UnescapeDataString(field["payload=".Length..].ToString().Replace('+', ' '));
            return SchemeSupport.ReadJsonText(Encoding.UTF8.GetBytes(json), "/type");
        }

        return null;
    }
}
