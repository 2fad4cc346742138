using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Integrations.Core.Webhooks.Schemes;

// Follows https://www.twilio.com/docs/sendgrid/for-developers/tracking-events/getting-started-event-webhook-security-features
/// <summary>
/// SendGrid (Twilio SendGrid Event Webhook, signed): <c>X-Twilio-Email-Event-Webhook-Signature</c> = base64 DER ECDSA
/// P-256/SHA-256 signature over <c>{X-Twilio-Email-Event-Webhook-Timestamp}{body}</c>, verified with the provider's public
/// key — the "verification key" SendGrid shows (base64 SubjectPublicKeyInfo; PEM armour accepted) stored as the source's
/// key. The timestamp (Unix seconds) is checked against the source's tolerance both ways.
/// </summary>
/// <remarks>
/// The body is a JSON array of events. Event id: the single event's <c>sg_event_id</c>, or for a batch a hash of them
/// in order; event type: the first event's <c>event</c>. A key that is not a P-256 public key is refused with that reason.
/// </remarks>
public sealed class SendGridScheme : IWebhookScheme
{
    public const string SignatureHeader = "X-Twilio-Email-Event-Webhook-Signature";
    public const string TimestampHeader = "X-Twilio-Email-Event-Webhook-Timestamp";

    /// <summary>
    /// The DER of a P-256 SubjectPublicKeyInfo up to its 65-byte uncompressed point (id-ecPublicKey, prime256v1): checked
    /// byte for byte, so no other curve or algorithm is imported and no parameters need exporting to tell.
    /// </summary>
    private static ReadOnlySpan<byte> P256SpkiPrefix =>
    [
        0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08,
        0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00,
    ];

    private const int P256SpkiSize = 91;

    /// <summary>A DER ECDSA P-256 signature is at most 72 bytes; anything far larger is not one.</summary>
    private const int MaxSignatureSize = 80;

    /// <summary>Verification keys already imported, shared by every instance of the scheme (a public key is no secret).</summary>
    private static readonly ImportedKeyPool ImportedKeys = new(TryImport);

    public string Name => WebhookSchemes.SendGrid;

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

        Span<byte> signature = stackalloc byte[MaxSignatureSize + 3];
        if (!SchemeSupport.TryDecodeBase64(signatureText.AsSpan().Trim(), signature, out var signatureLength) || signatureLength is 0 or > MaxSignatureSize)
        {
            return WebhookVerification.Refuse(WebhookRefusal.Malformed, $"The {SignatureHeader} header is not a base64 DER ECDSA signature.");
        }

        using var payload = SignedPayload.Create(timestampText, default, default, default, request.Body.Span);
        var unusableKeys = 0;
        foreach (var key in keys)
        {
            using var lease = ImportedKeys.Rent(key.Value);
            if (lease.Key is null)
            {
                unusableKeys++;
                continue;
            }

            if (VerifySignature(lease.Key, payload.Span, signature[..signatureLength]))
            {
                return SchemeSupport.CheckTolerance(timestamp, request.ReceivedAt, settings.ToleranceSeconds, $"{TimestampHeader} header")
                    ?? Identify(request.Body, key.Id);
            }
        }

        return SchemeSupport.NoVerifyingKey(
            keys.Count, unusableKeys, "The source's SendGrid verification key is not a P-256 public key (base64 SubjectPublicKeyInfo).", "verification key", SignatureHeader);
    }

    /// <summary>The key as SendGrid shows it (base64 SPKI, PEM armour and whitespace tolerated); null unless it is P-256.</summary>
    internal static ECDsa? TryImport(string value)
    {
        var base64 = new StringBuilder(value.Length);
        foreach (var line in value.Split('\n'))
        {
            var trimmed = line.Trim();
            if (!trimmed.StartsWith("-----", StringComparison.Ordinal))
            {
                base64.Append(trimmed);
            }
        }

        Span<byte> der = stackalloc byte[P256SpkiSize + 3];
        if (!SchemeSupport.TryDecodeBase64(base64.ToString(), der, out var written) || written != P256SpkiSize || !der.StartsWith(P256SpkiPrefix))
        {
            return null;
        }

        var ecdsa = ECDsa.Create();
        try
        {
            ecdsa.ImportSubjectPublicKeyInfo(der[..P256SpkiSize], out var read);
            if (read == P256SpkiSize)
            {
                return ecdsa;
            }
        }
        catch (CryptographicException)
        {
            // Not an EC SubjectPublicKeyInfo: refused below like any other unusable key.
        }

        ecdsa.Dispose();
        return null;
    }

    private static bool VerifySignature(ECDsa ecdsa, ReadOnlySpan<byte> payload, ReadOnlySpan<byte> signature)
    {
        try
        {
            return ecdsa.VerifyData(payload, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        }
        catch (CryptographicException)
        {
            // A signature that is not DER: as good as a wrong one.
            return false;
        }
    }

    private static WebhookVerification Identify(ReadOnlyMemory<byte> body, string keyId)
    {
        using var json = SchemeSupport.TryParseJson(body, out var refusal);
        if (json is null)
        {
            return refusal!;
        }

        var ids = new List<string>();
        string? type = null;
        if (json.RootElement.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in json.RootElement.EnumerateArray())
            {
                type ??= SchemeSupport.ReadJsonText(item, "event");
                if (SchemeSupport.ReadJsonText(item, "sg_event_id") is { } id)
                {
                    ids.Add(id);
                }
            }
        }

        return SchemeSupport.BatchId(ids) is { } eventId
            ? WebhookVerification.Verified(eventId, type, keyId)
            : WebhookVerification.Refuse(WebhookRefusal.Malformed, "The body is not an array of events with sg_event_id.");
    }
}
