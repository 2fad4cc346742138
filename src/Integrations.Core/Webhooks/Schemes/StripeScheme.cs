using System.Security.Cryptography;

namespace Integrations.Core.Webhooks.Schemes;

// https://docs.stripe.com/webhooks#verify-manually
/// <summary>
/// Stripe: <c>Stripe-Signature: t={unix},v1={hex},v1={hex},v0=…</c>. The signed payload is <c>{t}.{body}</c>, HMAC-SHA256 keyed
/// with the whole <c>whsec_…</c> secret as UTF-8, hex. Every <c>v1</c> is tried against every key (Stripe lists several while
/// an endpoint secret is rolled); <c>v0</c> and unknown elements are ignored, as Stripe's libraries do. The event id and type
/// are the body's <c>id</c> and <c>type</c>.
/// </summary>
public sealed class StripeScheme : IWebhookScheme
{
    public const string SignatureHeader = "Stripe-Signature";

    private const int MacLength = 32;

    public string Name => WebhookSchemes.Stripe;

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

        if (!request.Headers.TryGetSingle(SignatureHeader, out var header, out var refusal))
        {
            return refusal!;
        }

        var value = header.AsSpan();
        ReadOnlySpan<char> timestamp = default;
        var timestamps = 0;
        var listed = 0;
        var decoded = 0;
        Span<byte> candidates = stackalloc byte[SchemeSupport.MaxSignatures * MacLength];
        foreach (var range in value.Split(','))
        {
            var element = value[range].Trim(' ');
            var equals = element.IndexOf('=');
            if (equals <= 0)
            {
                continue; // Stripe's libraries skip elements that are not key=value.
            }

            var name = element[..equals];
            var item = element[(equals + 1)..];
            if (name.SequenceEqual("t"))
            {
                timestamp = item;
                timestamps++;
            }
            else if (name.SequenceEqual("v1"))
            {
                if (++listed > SchemeSupport.MaxSignatures)
                {
                    return WebhookVerification.Refuse(WebhookRefusal.Malformed, $"The {SignatureHeader} header lists more than {SchemeSupport.MaxSignatures} signatures.");
                }

                // A v1 that is not 64 hex digits can match nothing: it is skipped, not fatal (another v1 may be good).
                if (SchemeSupport.TryDecodeHex(item, candidates.Slice(decoded * MacLength, MacLength)))
                {
                    decoded++;
                }
            }
        }

        if (timestamps != 1)
        {
            return WebhookVerification.Refuse(
                WebhookRefusal.Malformed,
                timestamps == 0 ? $"The {SignatureHeader} header has no t= timestamp." : $"The {SignatureHeader} header has more than one t= timestamp.");
        }

        if (!SchemeSupport.TryParseUnixTime(timestamp, out var signedAt))
        {
            return SchemeSupport.NotAUnixTime($"t= timestamp in the {SignatureHeader} header");
        }

        if (listed == 0)
        {
            return WebhookVerification.Refuse(WebhookRefusal.BadSignature, $"The {SignatureHeader} header has no v1 signature.");
        }

        string? keyId;
        using (var payload = SignedPayload.Create(timestamp, ".", default, default, request.Body.Span))
        {
            keyId = SchemeSupport.FindMatchingUtf8Key(keys, HashAlgorithmName.SHA256, payload.Span, candidates[..(decoded * MacLength)], MacLength);
        }

        if (keyId is null)
        {
            return SchemeSupport.NoMatch(SignatureHeader, keys.Count);
        }

        // Signature first, then time: a stale but genuine delivery (a replay) is told apart from a forgery in the stats.
        if (SchemeSupport.CheckTolerance(signedAt, request.ReceivedAt, settings.ToleranceSeconds, "t= timestamp") is { } stale)
        {
            return stale;
        }

        var body = request.Body.Span;
        return WebhookVerification.Verified(SchemeSupport.ReadJsonText(body, "/id"), SchemeSupport.ReadJsonText(body, "/type"), keyId);
    }
}
