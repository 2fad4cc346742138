using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Integrations.Core.Crypto;

/// <summary>
/// An unwrapped key-encryption key held in memory. The key bytes live in a pinned array (the GC cannot leave
/// copies behind when it compacts) and are zeroed on dispose. Keyed <see cref="AesGcm"/> instances are pooled:
/// an instance is not safe for concurrent use, and setting up the key costs as much as a wrap.
/// </summary>
public sealed class KeyEncryptionKey : IDisposable
{
    private readonly byte[] _key;
    private readonly ConcurrentBag<AesGcm> _ciphers = [];
    private volatile bool _disposed;

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

    /// <summary>A keyed cipher for this thread's exclusive use until <see cref="Return"/>.</summary>
    internal AesGcm Rent()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_ciphers.TryTake(out var pooled))
        {
            return pooled;
        }

        var cipher = new AesGcm(_key, SealedSecret.TagSize);
        // Dispose sets the flag before zeroing: seen here, the key may have been zeroed while the cipher was keyed.
        if (_disposed)
        {
            cipher.Dispose();
            throw new ObjectDisposedException(nameof(KeyEncryptionKey));
        }

        return cipher;
    }

    internal void Return(AesGcm cipher)
    {
        if (_disposed)
        {
            cipher.Dispose();
            return;
        }

        _ciphers.Add(cipher);
    }

    public void Dispose()
    {
        _disposed = true;
        CryptographicOperations.ZeroMemory(_key);
        while (_ciphers.TryTake(out var cipher))
        {
            cipher.Dispose();
        }
    }
}
