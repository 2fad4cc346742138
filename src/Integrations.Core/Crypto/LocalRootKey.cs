using System.Security.Cryptography;

namespace Integrations.Core.Crypto;

/// <summary>A local root key and its fingerprint id.</summary>
internal sealed class LocalRootKey : IDisposable
{
    private LocalRootKey(byte[] key)
    {
        Key = key;
        Id = "local:" + Convert.ToHexStringLower(SHA256.HashData(key).AsSpan(0, 8));
    }

    public byte[] Key { get; }

    public string Id { get; }

    public static bool TryDecode(string? base64, out byte[] key)
    {
        key = [];
        if (string.IsNullOrWhiteSpace(base64))
        {
            return false;
        }

        var buffer = new byte[SealedSecret.KeySize + 3];
        if (!Convert.TryFromBase64String(base64.Trim(), buffer, out var written) || written != SealedSecret.KeySize)
        {
            return false;
        }

        key = buffer[..SealedSecret.KeySize];
        CryptographicOperations.ZeroMemory(buffer);
        return true;
    }

    public static LocalRootKey Decode(string? base64) =>
        TryDecode(base64, out var key) ? new LocalRootKey(key) : throw new InvalidOperationException("KeyWrapping:RootKey must be 32 bytes in base64.");

    public void Dispose() => CryptographicOperations.ZeroMemory(Key);
}
