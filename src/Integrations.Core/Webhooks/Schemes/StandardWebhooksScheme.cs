using System.Security.Cryptography;

namespace Integrations.Core.Webhooks.Schemes;

// https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md#verifying-webhook-authenticity
/// <summary>
/// Standard Webhooks (also Svix, Resend and Clerk, which send the same scheme as <c>svix-id</c>/<c>svix-timestamp</c>/
/// <c>svix-signature</c>, https://docs.svix.com/receiving/verifying-payloads/how-manual). One set or the other is accepted,
/// never a mix of the two and never both. The signed payload is <c>{id}.{timestamp}.{body}</c>, HMAC-SHA256 keyed with the
/// base64 part of the <c>whsec_…</c> secret (a secret without the prefix is taken as base64 too, as the spec's libraries do),
/// base64. The signature header lists space-separated <c>v1,&lt;base64&gt;</c> entries; other versions (<c>v1a,</c> …) are
/// skipped. The event id is the id header; the type is the body's <c>type</c> when it has one.
/// </summary>
public sealed class StandardWebhooksScheme : IWebhookScheme
{
    public const string IdHeader = "webhook-id";
    public const string TimestampHeader = "webhook-timestamp";
    public const string SignatureHeader = "webhook-signature";
    public const string SvixIdHeader = "svix-id";
    public const string SvixTimestampHeader = "svix-timestamp";
    public const string SvixSignatureHeader = "svix-signature";

    public const string SecretPrefix = StandardWebhooksSignature.SecretPrefix;

    private const int MacLength = StandardWebhooksSignature.MacLength;

    private const int MaxKeyLength = StandardWebhooksSignature.MaxKeyLength;

    public string Name => WebhookSchemes.Standard;

    public bool Recognizes(WebhookHeaders headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        return headers.Contains(SignatureHeader) || headers.Contains(SvixSignatureHeader);
    }

    public WebhookVerification Verify(WebhookRequest request, IReadOnlyList<WebhookSigningKey> keys, WebhookSourceSettings settings)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(settings);

        var headers = request.Headers;
        if (PickHeaderSet(headers) is { } mixed)
        {
            return mixed;
        }

        var svix = headers.Contains(SvixIdHeader) || headers.Contains(SvixTimestampHeader) || headers.Contains(SvixSignatureHeader);
        var (idName, timestampName, signatureName) = svix
            ? (SvixIdHeader, SvixTimestampHeader, SvixSignatureHeader)
            : (IdHeader, TimestampHeader, SignatureHeader);

        if (!headers.TryGetSingle(idName, out var id, out var refusal) ||
            !headers.TryGetSingle(timestampName, out var timestamp, out refusal) ||
            !headers.TryGetSingle(signatureName, out var signatures, out refusal))
        {
            return refusal!;
        }

        if (!SchemeSupport.TryParseUnixTime(timestamp, out var signedAt))
        {
            return SchemeSupport.NotAUnixTime($"{timestampName} header");
        }

        Span<byte> candidates = stackalloc byte[SchemeSupport.MaxSignatures * MacLength];
        var listed = 0;
        var decoded = 0;
        Span<byte> scratch = stackalloc byte[MacLength + 3];
        var value = signatures.AsSpan();
        foreach (var range in value.Split(' '))
        {
            var entry = value[range];
            var comma = entry.IndexOf(',');

            // As the reference libraries do: an entry that is not "{version},{signature}", or of another version, is skipped.
            if (comma < 0 || !entry[..comma].SequenceEqual(StandardWebhooksSignature.Version))
            {
                continue;
            }

            if (++listed > SchemeSupport.MaxSignatures)
            {
                return WebhookVerification.Refuse(WebhookRefusal.Malformed, $"The {signatureName} header lists more than {SchemeSupport.MaxSignatures} signatures.");
            }

            if (SchemeSupport.TryDecodeBase64(entry[(comma + 1)..], scratch, out var written) && written == MacLength)
            {
                scratch[..MacLength].CopyTo(candidates.Slice(decoded * MacLength, MacLength));
                decoded++;
            }
        }

        if (listed == 0)
        {
            return WebhookVerification.Refuse(WebhookRefusal.BadSignature, $"The {signatureName} header has no v1 signature.");
        }

        string? keyId = null;
        var usableKeys = 0;
        using (var payload = StandardWebhooksSignature.Content(id, timestamp, request.Body.Span))
        {
            Span<byte> keyBytes = stackalloc byte[MaxKeyLength];
            try
            {
                foreach (var key in keys)
                {
                    if (!StandardWebhooksSignature.TryDecodeSecret(key.Value, keyBytes, out var keyLength))
                    {
                        continue;
                    }

                    usableKeys++;
                    if (StandardWebhooksSignature.Matches(keyBytes[..keyLength], payload.Span, candidates[..(decoded * MacLength)]))
                    {
                        keyId = key.Id;
                        break;
                    }
                }
            }
            finally
            {
                CryptographicOperations.ZeroMemory(keyBytes);
            }
        }

        if (keyId is null)
        {
            return keys.Count > 0 && usableKeys == 0
                ? WebhookVerification.Refuse(WebhookRefusal.BadSignature, "No signing secret of the source is a Standard Webhooks secret (whsec_ followed by base64).")
                : SchemeSupport.NoMatch(signatureName, keys.Count);
        }

        if (SchemeSupport.CheckTolerance(signedAt, request.ReceivedAt, settings.ToleranceSeconds, $"{timestampName} header") is { } stale)
        {
            return stale;
        }

        return WebhookVerification.Verified(id, SchemeSupport.ReadJsonText(request.Body.Span, "/type"), keyId);
    }

    /// <summary>The refusal when <c>svix-*</c> and <c>webhook-*</c> headers are both present; null when one set (or none) is.</summary>
    private static WebhookVerification? PickHeaderSet(WebhookHeaders headers)
    {
        ReadOnlySpan<(string Standard, string Svix)> pairs =
            [(IdHeader, SvixIdHeader), (TimestampHeader, SvixTimestampHeader), (SignatureHeader, SvixSignatureHeader)];
        var anyStandard = false;
        var anySvix = false;
        foreach (var (standard, svix) in pairs)
        {
            var hasStandard = headers.Contains(standard);
            var hasSvix = headers.Contains(svix);
            if (hasStandard && hasSvix)
            {
                // Two values for one field: which one a downstream reader would take is exactly what an attacker plays on.
                return WebhookVerification.Refuse(WebhookRefusal.DuplicateHeader, $"Both {standard} and {svix} were sent; a delivery carries one set of headers.");
            }

            anyStandard |= hasStandard;
            anySvix |= hasSvix;
        }

        return anyStandard && anySvix
            ? WebhookVerification.Refuse(WebhookRefusal.Malformed, "The delivery mixes webhook-* and svix-* headers; a delivery carries one set.")
            : null;
    }
}
