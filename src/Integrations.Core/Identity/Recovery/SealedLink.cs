using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Integrations.Core.Vault;
using Microsoft.Extensions.DependencyInjection;

namespace Integrations.Core.Identity.Recovery;

/// <summary>
/// The token-bearing field of an auth event (<c>data.sealed_link</c>) and the platform project's vault secrets it needs —
/// shared by every delivery that hands a person a token through the platform's app (recovery links, invitations).
/// </summary>
/// <remarks>
/// <c>v1.{base64url nonce}.{base64url ciphertext‖tag}</c>: AES-256-GCM under the base64 256-bit key held in the platform
/// project's vault secret <c>Auth:Events:SealingKey</c>, associated data <c>{event type}\n{subject id}</c> (the user id for
/// recovery events, the invitation id for invitations), plaintext the JSON <c>{"token","url"}</c>. A sealed link copied to
/// another event type or subject does not open.
/// </remarks>
public static class SealedLink
{
    public const string Version = "v1";

    private const int NonceLength = 12;
    private const int TagLength = 16;

    /// <summary>Seals <paramref name="token"/> and <paramref name="url"/> under <paramref name="key"/> (see the remarks).</summary>
    public static string Seal(string token, string? url, ReadOnlySpan<byte> key, string eventType, string subjectId)
    {
        var plaintext = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string?> { ["token"] = token, ["url"] = url });
        try
        {
            var nonce = RandomNumberGenerator.GetBytes(NonceLength);
            var output = new byte[plaintext.Length + TagLength];
            using var aes = new AesGcm(key, TagLength);
            aes.Encrypt(nonce, plaintext, output.AsSpan(0, plaintext.Length), output.AsSpan(plaintext.Length), AssociatedData(eventType, subjectId));
            return $"{Version}.{Base64Url.EncodeToString(nonce)}.{Base64Url.EncodeToString(output)}";
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    /// <summary>Opens a sealed link with the key (what the platform's app does); null when it does not open.</summary>
    public static (string Token, string? Url)? Open(string sealedLink, ReadOnlySpan<byte> key, string eventType, string subjectId)
    {
        ArgumentNullException.ThrowIfNull(sealedLink);
        var parts = sealedLink.Split('.');
        if (parts.Length != 3 || parts[0] != Version || key.Length != 32)
        {
            return null;
        }

        try
        {
            var nonce = Base64Url.DecodeFromChars(parts[1]);
            var sealedBytes = Base64Url.DecodeFromChars(parts[2]);
            if (nonce.Length != NonceLength || sealedBytes.Length < TagLength)
            {
                return null;
            }

            var plaintext = new byte[sealedBytes.Length - TagLength];
            using var aes = new AesGcm(key, TagLength);
            aes.Decrypt(nonce, sealedBytes.AsSpan(0, plaintext.Length), sealedBytes.AsSpan(plaintext.Length), plaintext, AssociatedData(eventType, subjectId));
            try
            {
                // JsonDocument reads the buffer in place: zero it only once the values are copied out.
                using var document = JsonDocument.Parse(plaintext);
                var root = document.RootElement;
                return (root.GetProperty("token").GetString()!, root.TryGetProperty("url", out var url) ? url.GetString() : null);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(plaintext);
            }
        }
        catch (Exception ex) when (ex is FormatException or AuthenticationTagMismatchException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>
    /// Reads the sealing key from the platform project's vault (<c>Auth:Events:SealingKey</c>) and seals with it; the key
    /// bytes are zeroed before this returns. Throws when the secret cannot be read or is not a base64 256-bit key.
    /// </summary>
    public static async Task<string> SealWithPlatformKeyAsync(
        IServiceProvider services, RecoveryOptions options, string token, string? url, string eventType, string subjectId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var key = await RevealPlatformSecretAsync(services, options, options.Events.SealingKey!, cancellationToken).ConfigureAwait(false);
        byte[] keyBytes;
        try
        {
            keyBytes = Convert.FromBase64String(key.Trim());
        }
        catch (FormatException)
        {
            keyBytes = [];
        }

        try
        {
            return keyBytes.Length == 32
                ? Seal(token, url, keyBytes, eventType, subjectId)
                : throw new InvalidOperationException("Auth:Events:SealingKey's secret is not a base64 256-bit key.");
        }
        finally
        {
            CryptographicOperations.ZeroMemory(keyBytes);
        }
    }

    /// <summary>The value of the platform project's vault secret <paramref name="secretName"/>; throws (naming the secret, never its value) when unreadable.</summary>
    public static async Task<string> RevealPlatformSecretAsync(IServiceProvider services, RecoveryOptions options, string secretName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        // Resolved here, not injected: the vault is not in every host that registers a delivery.
        var vault = services.GetRequiredService<VaultService>();
        var platform = options.Platform;
        var revealed = await vault.RevealAsync(new SecretLocation(platform.OrganizationId!, platform.ProjectId!, secretName), null, cancellationToken).ConfigureAwait(false);
        return revealed.IsSuccess
            ? revealed.Value.Value
            : throw new InvalidOperationException($"The platform project's vault secret '{secretName}' could not be read ({revealed.Error.Code}).");
    }

    private static byte[] AssociatedData(string eventType, string subjectId) => Encoding.UTF8.GetBytes(eventType + "\n" + subjectId);
}
