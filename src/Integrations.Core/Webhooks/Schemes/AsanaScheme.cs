using System.Security.Cryptography;

namespace Integrations.Core.Webhooks.Schemes;

// https://developers.asana.com/docs/webhooks-guide
/// <summary>
/// Asana: when a webhook is established Asana POSTs a handshake carrying <c>X-Hook-Secret</c> and no signature; the target
/// answers 200 echoing that header and keeps the value as the signing secret. Every later delivery carries
/// <c>X-Hook-Signature</c>, the hex HMAC-SHA256 of the body keyed with that secret as UTF-8. Asana signs no timestamp and
/// sends no event id (deliveries batch several events), so the id is null and ingress keys idempotency on the body.
/// </summary>
/// <remarks>
/// The handshake is answered only while the source has no signing secret: once it has one, a new <c>X-Hook-Secret</c> is
/// refused, or anyone who learns the URL could replace the secret with their own. Re-establishing the webhook in Asana
/// therefore needs the source's secrets removed first.
/// </remarks>
public sealed class AsanaScheme : IWebhookScheme
{
    public const string SecretHeader = "X-Hook-Secret";
    public const string SignatureHeader = "X-Hook-Signature";

    // Asana's secrets are 64 hex digits; anything echoed back as a header must at least be a plain header token.
    private const int MaxSecretLength = 512;
    private const int MacLength = 32;

    public string Name => WebhookSchemes.Asana;

    public bool Recognizes(WebhookHeaders headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        return headers.Contains(SignatureHeader) || headers.Contains(SecretHeader);
    }

    public WebhookVerification Verify(WebhookRequest request, IReadOnlyList<WebhookSigningKey> keys, WebhookSourceSettings settings)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(settings);

        var headers = request.Headers;
        if (headers.Contains(SecretHeader))
        {
            return Handshake(headers, keys);
        }

        if (keys.Count == 0)
        {
            return WebhookVerification.Refuse(
                WebhookRefusal.BadSignature,
                $"The source has no signing secret yet: Asana's {SecretHeader} handshake has not happened.");
        }

        if (!headers.TryGetSingle(SignatureHeader, out var signature, out var refusal))
        {
            return refusal!;
        }

        Span<byte> candidate = stackalloc byte[MacLength];
        if (!SchemeSupport.TryDecodeHex(signature, candidate))
        {
            return WebhookVerification.Refuse(WebhookRefusal.Malformed, $"The {SignatureHeader} header is not 64 hex digits.");
        }

        var keyId = SchemeSupport.FindMatchingUtf8Key(keys, HashAlgorithmName.SHA256, request.Body.Span, candidate, MacLength);
        return keyId is null
            ? SchemeSupport.NoMatch(SignatureHeader, keys.Count)
            : WebhookVerification.Verified(null, null, keyId);
    }

    private static WebhookVerification Handshake(WebhookHeaders headers, IReadOnlyList<WebhookSigningKey> keys)
    {
        if (!headers.TryGetSingle(SecretHeader, out var secret, out var refusal))
        {
            return refusal!;
        }

        if (keys.Count > 0)
        {
            return WebhookVerification.Refuse(
                WebhookRefusal.BadSignature,
                $"An {SecretHeader} handshake was refused: the source already has a signing secret (remove it to re-establish the Asana webhook).");
        }

        if (secret.Length > MaxSecretLength || !IsHeaderToken(secret))
        {
            return WebhookVerification.Refuse(WebhookRefusal.Malformed, $"The {SecretHeader} header is not a plain token of at most {MaxSecretLength} characters.");
        }

        var echo = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { [SecretHeader] = secret };
        return WebhookVerification.Answer(new WebhookChallenge("text/plain", string.Empty, echo), keyId: null, newSigningSecret: secret);
    }

    /// <summary>Visible ASCII only: nothing that could split or fold the echoed response header.</summary>
    private static bool IsHeaderToken(string value)
    {
        foreach (var c in value)
        {
            if (c is < '!' or > '~')
            {
                return false;
            }
        }

        return value.Length > 0;
    }
}
