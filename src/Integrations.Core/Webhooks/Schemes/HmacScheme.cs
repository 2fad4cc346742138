using System.Security.Cryptography;

namespace Integrations.Core.Webhooks.Schemes;

// https://www.rfc-editor.org/rfc/rfc2104 (HMAC); the shape of each provider's use of it is in HmacSchemeSettings.
/// <summary>
/// The generic HMAC scheme, shaped by <see cref="WebhookSourceSettings.Hmac"/>: one signature in one header, HMAC-SHA256,
/// -SHA512 or -SHA1 keyed with the secret as UTF-8, hex or base64, after an optional prefix (e.g. <c>sha256=</c>). With a
/// timestamp header the signed payload is <c>{timestamp}{separator}{body}</c> and the tolerance is checked; without one the
/// body alone is signed. The event id comes from <see cref="WebhookSourceSettings.EventIdHeader"/> or, failing that, the
/// JSON pointer <see cref="WebhookSourceSettings.EventIdPointer"/>; the type from <see cref="WebhookSourceSettings.EventTypePointer"/>.
/// Never recognised by sniffing: its headers are whatever the settings say, so a generic source is addressed by its id.
/// </summary>
public sealed class HmacScheme : IWebhookScheme
{
    public string Name => WebhookSchemes.Hmac;

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

        if (Shape(settings) is not { } shape)
        {
            return WebhookVerification.Refuse(WebhookRefusal.Malformed, ShapeProblem(settings));
        }

        var hmac = settings.Hmac!;
        var headers = request.Headers;
        if (!headers.TryGetSingle(hmac.SignatureHeader, out var signature, out var refusal))
        {
            return refusal!;
        }

        string? timestamp = null;
        long signedAt = 0;
        if (hmac.TimestampHeader is not null)
        {
            if (!headers.TryGetSingle(hmac.TimestampHeader, out timestamp, out refusal))
            {
                return refusal!;
            }

            if (!SchemeSupport.TryParseUnixTime(timestamp, out signedAt))
            {
                return SchemeSupport.NotAUnixTime($"{hmac.TimestampHeader} header");
            }
        }

        string? eventId = null;
        if (settings.EventIdHeader is not null && !SchemeSupport.TryGetOptional(headers, settings.EventIdHeader, out eventId, out refusal))
        {
            return refusal!;
        }

        var encoded = signature.AsSpan();
        if (!string.IsNullOrEmpty(hmac.Prefix))
        {
            if (!encoded.StartsWith(hmac.Prefix, StringComparison.Ordinal))
            {
                return WebhookVerification.Refuse(WebhookRefusal.Malformed, $"The {hmac.SignatureHeader} header does not start with {hmac.Prefix}.");
            }

            encoded = encoded[hmac.Prefix.Length..];
        }

        var macLength = SchemeSupport.MacLength(shape.Algorithm);
        Span<byte> candidate = stackalloc byte[SchemeSupport.MaxMacLength + 3];
        var decoded = shape.Base64
            ? SchemeSupport.TryDecodeBase64(encoded, candidate, out var written) && written == macLength
            : SchemeSupport.TryDecodeHex(encoded, candidate[..macLength]);
        if (!decoded)
        {
            return WebhookVerification.Refuse(
                WebhookRefusal.Malformed,
                $"The {hmac.SignatureHeader} header is not a {(shape.Base64 ? "base64" : "hex")} HMAC-{shape.Algorithm.Name}.");
        }

        var body = request.Body.Span;
        string? keyId;
        if (timestamp is null)
        {
            keyId = SchemeSupport.FindMatchingUtf8Key(keys, shape.Algorithm, body, candidate[..macLength], macLength);
        }
        else
        {
            using var payload = SignedPayload.Create(timestamp, hmac.Separator, default, default, body);
            keyId = SchemeSupport.FindMatchingUtf8Key(keys, shape.Algorithm, payload.Span, candidate[..macLength], macLength);
        }

        if (keyId is null)
        {
            return SchemeSupport.NoMatch(hmac.SignatureHeader, keys.Count);
        }

        if (timestamp is not null &&
            SchemeSupport.CheckTolerance(signedAt, request.ReceivedAt, settings.ToleranceSeconds, $"{hmac.TimestampHeader} header") is { } stale)
        {
            return stale;
        }

        eventId ??= settings.EventIdPointer is null ? null : SchemeSupport.ReadJsonText(body, settings.EventIdPointer);
        var eventType = settings.EventTypePointer is null ? null : SchemeSupport.ReadJsonText(body, settings.EventTypePointer);
        return WebhookVerification.Verified(eventId, eventType, keyId);
    }

    /// <summary>The algorithm and encoding the settings name; null when they are missing or name something unsupported.</summary>
    private static (HashAlgorithmName Algorithm, bool Base64)? Shape(WebhookSourceSettings settings)
    {
        var hmac = settings.Hmac;
        if (hmac is null || string.IsNullOrWhiteSpace(hmac.SignatureHeader) || hmac.Separator is null ||
            (hmac.TimestampHeader is not null && string.IsNullOrWhiteSpace(hmac.TimestampHeader)) ||
            (settings.EventIdPointer is not null && !SchemeSupport.IsJsonPointer(settings.EventIdPointer)) ||
            (settings.EventTypePointer is not null && !SchemeSupport.IsJsonPointer(settings.EventTypePointer)))
        {
            return null;
        }

        HashAlgorithmName? algorithm = hmac.Algorithm?.ToUpperInvariant() switch
        {
            "SHA256" => HashAlgorithmName.SHA256,
            "SHA512" => HashAlgorithmName.SHA512,
            "SHA1" => HashAlgorithmName.SHA1,
            _ => null,
        };
        bool? base64 = hmac.Encoding?.ToUpperInvariant() switch
        {
            "HEX" => false,
            "BASE64" => true,
            _ => null,
        };
        return algorithm is null || base64 is null ? null : (algorithm.Value, base64.Value);
    }

    private static string ShapeProblem(WebhookSourceSettings settings) => settings.Hmac switch
    {
        null => "The hmac scheme needs settings.hmac (signature header, algorithm, encoding).",
        { SignatureHeader: var header } when string.IsNullOrWhiteSpace(header) => "settings.hmac.signatureHeader is empty.",
        { Algorithm: var algorithm } when algorithm?.ToUpperInvariant() is not ("SHA256" or "SHA512" or "SHA1") => "settings.hmac.algorithm must be sha256, sha512 or sha1.",
        { Encoding: var encoding } when encoding?.ToUpperInvariant() is not ("HEX" or "BASE64") => "settings.hmac.encoding must be hex or base64.",
        _ => "settings.hmac.timestampHeader, separator, eventIdPointer or eventTypePointer is not valid (pointers are RFC 6901, e.g. /id).",
    };
}
