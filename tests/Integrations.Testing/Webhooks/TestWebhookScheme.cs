using System.Security.Cryptography;
using System.Text;
using Integrations.Core.Webhooks;

namespace Integrations.Testing.Webhooks;

/// <summary>
/// A minimal scheme for ingress tests (the providers' schemes are tested on their own): <c>X-Test-Signature</c> = hex
/// HMAC-SHA256 of the body under the key's value, event id in <c>X-Test-Id</c> (optional), type in <c>X-Test-Type</c>.
/// </summary>
public sealed class TestWebhookScheme : IWebhookScheme
{
    public const string SchemeName = "test-hmac";
    public const string SignatureHeader = "X-Test-Signature";

    public string Name => SchemeName;

    public bool Recognizes(WebhookHeaders headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        return headers.Contains(SignatureHeader);
    }

    public WebhookVerification Verify(WebhookRequest request, IReadOnlyList<WebhookSigningKey> keys, WebhookSourceSettings settings)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(keys);
        if (!request.Headers.TryGetSingle(SignatureHeader, out var signature, out var refusal))
        {
            return refusal!;
        }

        foreach (var key in keys)
        {
            if (CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(key.Value, request.Body.Span)), Encoding.ASCII.GetBytes(signature)))
            {
                return WebhookVerification.Verified(First(request.Headers.GetAll("X-Test-Id")), First(request.Headers.GetAll("X-Test-Type")), key.Id);
            }
        }

        return WebhookVerification.Refuse(WebhookRefusal.BadSignature, "No signature matched.");
    }

    private static string? First(IReadOnlyList<string> values) => values.Count > 0 ? values[0] : null;

    public static string Sign(string secret, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));
    }
}
