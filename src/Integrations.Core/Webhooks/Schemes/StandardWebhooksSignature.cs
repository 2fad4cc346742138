using System.Security.Cryptography;

namespace Integrations.Core.Webhooks.Schemes;

// https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md#signature-scheme
/// <summary>
/// The Standard Webhooks <c>v1</c> signature, one way for both directions: the inbound <see cref="StandardWebhooksScheme"/>
/// verifies with it and the outbound <see cref="OutboundWebhooks.StandardWebhookSigner"/> signs with it. The signed content is
/// <c>{id}.{timestamp}.{body}</c> (the id and timestamp exactly as in their headers), HMAC-SHA256 keyed with the bytes the
/// <c>whsec_…</c> secret's base64 part decodes to (a secret without the prefix is taken as base64 too, as the spec's libraries do).
/// </summary>
internal static class StandardWebhooksSignature
{
    public const string SecretPrefix = "whsec_";

    /// <summary>The version tag of the signature entries produced and checked here.</summary>
    public const string Version = "v1";

    /// <summary>HMAC-SHA256's length.</summary>
    public const int MacLength = 32;

    /// <summary>The spec allows secrets of 24 to 64 bytes; 256 leaves room for anything a provider might hand out.</summary>
    public const int MaxKeyLength = 256;

    /// <summary>The HMAC key: the base64 after <c>whsec_</c>, or the whole secret as base64 when it has no prefix.</summary>
    public static bool TryDecodeSecret(string? secret, Span<byte> destination, out int length)
    {
        length = 0;
        if (string.IsNullOrEmpty(secret))
        {
            return false;
        }

        var encoded = secret.AsSpan();
        if (encoded.StartsWith(SecretPrefix, StringComparison.Ordinal))
        {
            encoded = encoded[SecretPrefix.Length..];
        }

        return encoded.Length > 0 && SchemeSupport.TryDecodeBase64(encoded, destination, out length) && length > 0;
    }

    /// <summary>The content the signature covers, built once so each key's HMAC is one call. Dispose it.</summary>
    public static SignedPayload Content(ReadOnlySpan<char> id, ReadOnlySpan<char> timestamp, ReadOnlySpan<byte> body) =>
        SignedPayload.Create(id, ".", timestamp, ".", body);

    /// <summary>The <see cref="MacLength"/>-byte MAC of <paramref name="content"/> under <paramref name="key"/>.</summary>
    public static void Compute(ReadOnlySpan<byte> key, ReadOnlySpan<byte> content, Span<byte> mac) =>
        HMACSHA256.HashData(key, content, mac);

    /// <summary>Whether the MAC of <paramref name="content"/> under <paramref name="key"/> is one of <paramref name="candidates"/> (laid end to end; constant-time).</summary>
    public static bool Matches(ReadOnlySpan<byte> key, ReadOnlySpan<byte> content, ReadOnlySpan<byte> candidates) =>
        SchemeSupport.MacMatches(HashAlgorithmName.SHA256, key, content, candidates, MacLength);
}
