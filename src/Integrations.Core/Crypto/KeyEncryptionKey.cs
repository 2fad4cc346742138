using System.Security.Cryptography;

namespace Integrations.Core.Crypto;

/// <summary>
/// An unwrapped key-encryption key held in memory. The key bytes live in a pinned array (the GC cannot leave
/// copies behind when it compacts) and are zeroed on dispose.
/// </summary>
public sealed class KeyEncryptionKey : IDisposable
{
    private readonly byte[] _key;

    public KeyEncryptionKey(string id, ReadOnlySpan<byte> key)
    {
        if (key.Length != SealedSecret.KeySize)
        {
            throw new ArgumentException("A KEK is 32 bytes.", nameof(key));
        }

        Id = id;
        _key = GC.AllocateUninitializedArray<byte>(SealedSecret.KeySize, pinned: true);
        key.CopyTo(_key);
    }

    public string Id { get; }

    internal ReadOnlySpan<byte> Key => _key;

    /// <summary>A new random KEK.</summary>
    public static KeyEncryptionKey Generate(string id)
    {
        Span<byte> key = stackalloc byte[SealedSecret.KeySize];
        RandomNumberGenerator.Fill(key);
        try
        {
            return new KeyEncryptionKey(id, key);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    public void Dispose() => CryptographicOperations.ZeroMemory(_key);
}
