using System.Security.Cryptography;
using System.Text;

namespace Integrations.Core.Webhooks.Schemes;

// Follows https://www.twilio.com/docs/usage/webhooks/webhooks-security (and twilio-python's RequestValidator for the details).
/// <summary>
/// Twilio: <c>X-Twilio-Signature</c> = base64 HMAC-SHA1, keyed with the Auth Token, over the full public URL (with its query)
/// followed, for a form body, by every parameter name and value with no separators, names sorted (each name's distinct
/// values sorted too, as Twilio's SDKs do). A JSON body is covered instead by the <c>bodySHA256</c> query parameter (hex
/// SHA-256 of the raw body), which is checked too. Like the SDKs, the URL is tried with and without its port, because Twilio
/// signs either form. No timestamp: replay protection is the idempotency id alone.
/// </summary>
/// <remarks>
/// Event id: the <c>I-Twilio-Idempotency-Token</c> header, which Twilio repeats on retries; without it, a hash of the
/// signed content (the same for a retry, different for each status callback of the same message or call — which a
/// <c>MessageSid</c> or <c>CallSid</c> alone would wrongly merge). Event type: <c>EventType</c> when sent, else
/// <c>call.{CallStatus}</c> or <c>message.{MessageStatus|SmsStatus}</c>.
/// </remarks>
public sealed class TwilioScheme : IWebhookScheme
{
    public const string SignatureHeader = "X-Twilio-Signature";
    public const string IdempotencyHeader = "I-Twilio-Idempotency-Token";
    private const string BodyHashParameter = "bodySHA256";
    private const int Sha1Size = 20;

    public string Name => WebhookSchemes.Twilio;

    public bool Recognizes(WebhookHeaders headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        return headers.Contains(SignatureHeader);
    }

    public WebhookVerification Verify(WebhookRequest request, IReadOnlyList<WebhookSigningKey> keys, WebhookSourceSettings settings)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(keys);
        if (!request.Headers.TryGetSingle(SignatureHeader, out var signatureText, out var refusal))
        {
            return refusal!;
        }

        Span<byte> signature = stackalloc byte[Sha1Size + 3];
        if (!SchemeSupport.TryDecodeBase64(signatureText.AsSpan().Trim(), signature, out var written) || written != Sha1Size)
        {
            return WebhookVerification.Refuse(WebhookRefusal.Malformed, $"The {SignatureHeader} header is not a base64 HMAC-SHA1.");
        }

        if (!Uri.TryCreate(request.PublicUrl, UriKind.Absolute, out var url))
        {
            return WebhookVerification.Refuse(WebhookRefusal.Malformed, "The source's public URL is not an absolute URL.");
        }

        // What follows the URL in the signed string: the sorted form parameters, or nothing when the body is covered by bodySHA256.
        string parameters;
        List<KeyValuePair<string, string>> form = [];
        var bodyHash = QueryValue(url, BodyHashParameter);
        if (bodyHash is not null)
        {
            Span<byte> expected = stackalloc byte[SHA256.HashSizeInBytes];
            Span<byte> actual = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(request.Body.Span, actual);
            if (!SchemeSupport.TryDecodeHex(bodyHash, expected) || !CryptographicOperations.FixedTimeEquals(expected, actual))
            {
                return WebhookVerification.Refuse(WebhookRefusal.BadSignature, $"The body does not match the URL's {BodyHashParameter}.");
            }

            parameters = string.Empty;
        }
        else if (SchemeSupport.HasMediaType(request.Headers, "application/x-www-form-urlencoded"))
        {
            form = SchemeSupport.ParseForm(request.Body.Span);
            parameters = SortedParameters(form);
        }
        else if (request.Body.IsEmpty)
        {
            parameters = string.Empty;
        }
        else
        {
            // Twilio signs a form body or a bodySHA256 hash; any other body would be accepted unsigned.
            return WebhookVerification.Refuse(WebhookRefusal.Malformed, $"The body is neither form-encoded nor covered by a {BodyHashParameter} query parameter.");
        }

        // The URL without its port first (how it is configured, nearly always what Twilio signs), with it only if needed.
        var urls = UrlForms(url);
        var payloads = new byte[urls.Length][];
        foreach (var key in keys)
        {
            for (var i = 0; i < urls.Length; i++)
            {
                var payload = payloads[i] ??= Encoding.UTF8.GetBytes(urls[i] + parameters);

                // HMAC-SHA1 is Twilio's choice, not ours.
                if (SchemeSupport.MacMatchesUtf8Key(HashAlgorithmName.SHA1, key.Value, payload, signature[..Sha1Size], Sha1Size))
                {
                    return WebhookVerification.Verified(EventId(request, payload), EventType(form), key.Id);
                }
            }
        }

        return SchemeSupport.NoMatch(SignatureHeader, keys.Count, "this URL and body");
    }

    /// <summary>Names in ordinal order, each name's distinct values in ordinal order, name + value with no separator.</summary>
    internal static string SortedParameters(IEnumerable<KeyValuePair<string, string>> form)
    {
        var builder = new StringBuilder();
        foreach (var group in form.GroupBy(p => p.Key, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            foreach (var value in group.Select(p => p.Value).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
            {
                builder.Append(group.Key).Append(value);
            }
        }

        return builder.ToString();
    }

    /// <summary>The URL as configured without a port and with one (the default for its scheme when none was given).</summary>
    private static string[] UrlForms(Uri url)
    {
        var original = url.OriginalString;
        var authorityStart = original.IndexOf("://", StringComparison.Ordinal) + 3;
        var authorityEnd = original.IndexOfAny(['/', '?', '#'], authorityStart);
        if (authorityEnd < 0)
        {
            authorityEnd = original.Length;
        }

        var authority = original[authorityStart..authorityEnd];
        var host = authority;
        string? port = null;
        var colon = authority.LastIndexOf(':');
        if (colon >= 0 && colon > authority.LastIndexOf(']'))
        {
            host = authority[..colon];
            port = authority[(colon + 1)..];
        }

        port ??= url.Scheme == Uri.UriSchemeHttps ? "443" : "80";
        var prefix = original[..authorityStart];
        var rest = original[authorityEnd..];
        return [prefix + host + rest, prefix + host + ":" + port + rest];
    }

    private static string? QueryValue(Uri url, string name)
    {
        var query = url.Query.AsSpan().TrimStart('?');
        foreach (var pair in SchemeSupport.ParseForm(Encoding.UTF8.GetBytes(query.ToString())))
        {
            if (pair.Key == name)
            {
                return pair.Value;
            }
        }

        return null;
    }

    private static string EventId(WebhookRequest request, byte[] signedPayload)
    {
        var tokens = request.Headers.GetAll(IdempotencyHeader);
        if (tokens.Count == 1 && !string.IsNullOrEmpty(tokens[0]))
        {
            return tokens[0];
        }

        // Without the header: the signed content itself (URL + form parameters, or URL with the body's bodySHA256), which
        // Twilio repeats byte for byte on a retry.
        return "sha256_" + SchemeSupport.Sha256Hex(signedPayload)[..32];
    }

    private static string? EventType(List<KeyValuePair<string, string>> form)
    {
        string? Find(string name) => form.FirstOrDefault(p => p.Key == name).Value is { Length: > 0 } value ? value : null;

        return Find("EventType")
            ?? (Find("CallStatus") is { } call ? "call." + call : null)
            ?? ((Find("MessageStatus") ?? Find("SmsStatus")) is { } message ? "message." + message : null);
    }
}
