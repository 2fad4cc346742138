using System.Security.Cryptography;

namespace Integrations.Core.Webhooks.Schemes;

// Follows https://documentation.mailgun.com/docs/mailgun/user-manual/webhooks/securing-webhooks
/// <summary>
/// Mailgun: the signature travels in the body, not in a header — JSON webhooks carry
/// <c>"signature": {"timestamp", "token", "signature", "parent-signature"?}</c>, form-encoded ones (legacy webhooks, routes)
/// the fields <c>timestamp</c>, <c>token</c>, <c>signature</c>. The signature is hex HMAC-SHA256, keyed with the webhook
/// signing key, over timestamp + token; <c>parent-signature</c> (a subaccount's event signed with the primary account's
/// key) is tried too. The timestamp (Unix seconds) is checked against the source's tolerance both ways.
/// </summary>
/// <remarks>
/// <see cref="Recognizes"/> is always false: no header tells a Mailgun delivery apart, so a Mailgun source is reached only
/// through its own URL (<c>/v1/webhooks/{sourceId}</c>), never by sniffing. Event id: <c>event-data.id</c>, else the
/// signature's <c>token</c>; event type: <c>event-data.event</c> (form: <c>event</c>). Multipart bodies (routes with
/// attachments) are refused as malformed.
/// </remarks>
public sealed class MailgunScheme : IWebhookScheme
{
    private const int MacLength = 32;

    /// <summary>The signature and the parent signature: the most a Mailgun body carries.</summary>
    private const int MaxSignatures = 2;

    public string Name => WebhookSchemes.Mailgun;

    public bool Recognizes(WebhookHeaders headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        return false;
    }

    public WebhookVerification Verify(WebhookRequest request, IReadOnlyList<WebhookSigningKey> keys, WebhookSourceSettings settings)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(settings);
        var fields = SchemeSupport.HasMediaType(request.Headers, "application/x-www-form-urlencoded") ? FromForm(request.Body) : FromJson(request.Body);
        if (fields.Refusal is not null)
        {
            return fields.Refusal;
        }

        if (!SchemeSupport.TryParseUnixTime(fields.Timestamp, "body's signature timestamp", "seconds", out var timestamp, out var refusal))
        {
            return refusal!;
        }

        // The signature and, for a subaccount's event, the parent signature: laid end to end as MAC candidates.
        Span<byte> candidates = stackalloc byte[MaxSignatures * MacLength];
        var count = 0;
        foreach (var signature in fields.Signatures)
        {
            if (count == MaxSignatures || !SchemeSupport.TryDecodeHex(signature, candidates.Slice(count * MacLength, MacLength)))
            {
                return WebhookVerification.Refuse(WebhookRefusal.Malformed, "The body's signature is not a hex HMAC-SHA256.");
            }

            count++;
        }

        using var payload = SignedPayload.Create(fields.Timestamp, fields.Token, default, default, default);
        var keyId = SchemeSupport.FindMatchingUtf8Key(keys, HashAlgorithmName.SHA256, payload.Span, candidates[..(count * MacLength)], MacLength);
        if (keyId is null)
        {
            return SchemeSupport.NoMatch("the body", keys.Count, "its timestamp and token");
        }

        return SchemeSupport.CheckTolerance(timestamp, request.ReceivedAt, settings.ToleranceSeconds, "body's signature timestamp")
            ?? WebhookVerification.Verified(fields.EventId ?? fields.Token!, fields.EventType, keyId);
    }

    private static Fields FromJson(ReadOnlyMemory<byte> body)
    {
        using var json = SchemeSupport.TryParseJson(body, out var refusal);
        if (json is null)
        {
            return new(refusal);
        }

        var root = json.RootElement;
        var timestamp = SchemeSupport.ReadJsonText(root, "signature", "timestamp");
        var token = SchemeSupport.ReadJsonText(root, "signature", "token");
        var signature = SchemeSupport.ReadJsonText(root, "signature", "signature");
        if (timestamp is null || token is null || signature is null)
        {
            return new(WebhookVerification.Refuse(WebhookRefusal.Malformed, "The body has no signature object with timestamp, token and signature."));
        }

        List<string> signatures = [signature];
        if (SchemeSupport.ReadJsonText(root, "signature", "parent-signature") is { } parent)
        {
            signatures.Add(parent);
        }

        return new(null, timestamp, token, signatures,
            SchemeSupport.ReadJsonText(root, "event-data", "id"), SchemeSupport.ReadJsonText(root, "event-data", "event"));
    }

    private static Fields FromForm(ReadOnlyMemory<byte> body)
    {
        var form = SchemeSupport.ParseForm(body.Span);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in (string[])["timestamp", "token", "signature"])
        {
            var sent = form.Where(p => p.Key == name).Select(p => p.Value).ToArray();
            if (sent.Length != 1 || sent[0].Length == 0)
            {
                return new(WebhookVerification.Refuse(WebhookRefusal.Malformed,
                    sent.Length > 1 ? $"The form field {name} was sent more than once." : $"The form field {name} is missing."));
            }

            values[name] = sent[0];
        }

        return new(null, values["timestamp"], values["token"], [values["signature"]], null, form.FirstOrDefault(p => p.Key == "event").Value);
    }

    private sealed record Fields(
        WebhookVerification? Refusal,
        string? Timestamp = null,
        string? Token = null,
        IReadOnlyList<string>? SignatureList = null,
        string? EventId = null,
        string? EventType = null)
    {
        public IReadOnlyList<string> Signatures => SignatureList ?? [];
    }
}
