using System.Security.Cryptography;
using System.Text;

namespace Integrations.Core.Webhooks;

/// <summary>
/// The hub's event id is derived from (source id, idempotency key): every copy of a delivery names the same row, so the
/// insert itself is the idempotency check, and a consumer can deduplicate queue messages by it. Same shape as
/// <see cref="Common.Ids"/> (<c>whe_</c> + 20 base32 characters: 100 bits of SHA-256).
/// </summary>
public static class WebhookEventIds
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz234567";
    private const int Chars = 20;

    public static string For(string sourceId, string idempotencyKey)
    {
        ArgumentNullException.ThrowIfNull(sourceId);
        ArgumentNullException.ThrowIfNull(idempotencyKey);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(sourceId + "\n" + idempotencyKey));
        return string.Create(WebhookEvent.IdPrefix.Length + 1 + Chars, hash, static (span, hash) =>
        {
            WebhookEvent.IdPrefix.AsSpan().CopyTo(span);
            span[WebhookEvent.IdPrefix.Length] = '_';
            // 5 bits per character, read across byte boundaries.
            for (var i = 0; i < Chars; i++)
            {
                var bit = i * 5;
                var value = ((hash[bit / 8] << 8) | hash[(bit / 8) + 1]) >> (11 - (bit % 8)) & 31;
                span[WebhookEvent.IdPrefix.Length + 1 + i] = Alphabet[value];
            }
        });
    }

    /// <summary>The idempotency key of a delivery whose scheme gives no event id: the SHA-256 of its body.</summary>
    public static string BodyKey(ReadOnlySpan<byte> body) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(body));
}
