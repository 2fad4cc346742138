using System.Text.Json;
using NSec.Cryptography;

namespace Integrations.Core.Webhooks.Schemes;

// Follows https://discord.com/developers/docs/interactions/overview#setting-up-an-endpoint-validating-security-request-headers
// and https://discord.com/developers/docs/events/webhook-events (same headers).
/// <summary>
/// Discord: <c>X-Signature-Ed25519</c> = hex Ed25519 signature over <c>{X-Signature-Timestamp}{body}</c>, verified with the
/// application's public key (hex, as the developer portal shows it) stored as the source's key. The timestamp (Unix seconds)
/// is checked against the source's tolerance both ways. .NET 10 has no standalone Ed25519, so NSec (libsodium) verifies.
/// </summary>
/// <remarks>
/// Answered after verifying: an interaction PING (<c>"type": 1</c>, no <c>event</c>) with <c>{"type":1}</c> (PONG); a
/// webhook-event PING (<c>"type": 0</c>) with an empty body, which Discord expects as 204 No Content. Event id: the body's
/// <c>id</c> (interactions); webhook events carry none, so a hash of the body (Discord re-sends the same body). Event type:
/// <c>event.type</c> for webhook events (e.g. <c>APPLICATION_DEAUTHORIZED</c>), else the interaction <c>type</c> number.
/// </remarks>
public sealed class DiscordScheme : IWebhookScheme
{
    public const string SignatureHeader = "X-Signature-Ed25519";
    public const string TimestampHeader = "X-Signature-Timestamp";
    private const int SignatureSize = 64;
    private const int PublicKeySize = 32;

    public string Name => WebhookSchemes.Discord;

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

        Span<byte> signature = stackalloc byte[SignatureSize];
        if (!SchemeSupport.TryDecodeHex(signatureText.AsSpan().Trim(), signature))
        {
            return WebhookVerification.Refuse(WebhookRefusal.Malformed, $"The {SignatureHeader} header is not a hex Ed25519 signature.");
        }

        using var payload = SignedPayload.Create(timestampText, default, default, default, request.Body.Span);
        Span<byte> raw = stackalloc byte[PublicKeySize];
        var unusableKeys = 0;
        foreach (var key in keys)
        {
            if (!SchemeSupport.TryDecodeHex(key.Value.AsSpan().Trim(), raw)
                || !PublicKey.TryImport(SignatureAlgorithm.Ed25519, raw, KeyBlobFormat.RawPublicKey, out var publicKey)
                || publicKey is null)
            {
                unusableKeys++;
                continue;
            }

            if (SignatureAlgorithm.Ed25519.Verify(publicKey, payload.Span, signature))
            {
                return SchemeSupport.CheckTolerance(timestamp, request.ReceivedAt, settings.ToleranceSeconds, $"{TimestampHeader} header")
                    ?? Identify(request.Body, key.Id);
            }
        }

        return SchemeSupport.NoVerifyingKey(
            keys.Count, unusableKeys, "The source's Discord public key is not a hex Ed25519 public key (64 hex digits).", "public key", SignatureHeader);
    }

    private static WebhookVerification Identify(ReadOnlyMemory<byte> body, string keyId)
    {
        using var json = SchemeSupport.TryParseJson(body, out var refusal);
        if (json is null)
        {
            return refusal!;
        }

        var root = json.RootElement;
        if (root.ValueKind != JsonValueKind.Object || SchemeSupport.ReadJsonText(root, "type") is not { } type)
        {
            return WebhookVerification.Refuse(WebhookRefusal.Malformed, "The body has no type field.");
        }

        var isWebhookEvent = root.TryGetProperty("event", out _) || (type == "0" && !root.TryGetProperty("id", out _));
        if (isWebhookEvent)
        {
            return type == "0"
                ? WebhookVerification.Answer(new WebhookChallenge("text/plain", string.Empty), keyId)
                : WebhookVerification.Verified("sha256_" + SchemeSupport.Sha256Hex(body.Span)[..32], SchemeSupport.ReadJsonText(root, "event", "type"), keyId);
        }

        if (type == "1")
        {
            return WebhookVerification.Answer(new WebhookChallenge("application/json", """{"type":1}"""), keyId);
        }

        return SchemeSupport.ReadJsonText(root, "id") is { } id
            ? WebhookVerification.Verified(id, type, keyId)
            : WebhookVerification.Refuse(WebhookRefusal.Malformed, "The interaction has no id.");
    }
}
