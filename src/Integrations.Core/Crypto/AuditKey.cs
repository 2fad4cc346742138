using System.Security.Cryptography;

namespace Integrations.Core.Crypto;

/// <summary>The key of the audit log's HMACs (of sensitive identifiers) and of its hash chain. Zeroed on dispose.</summary>
public sealed class AuditKey : IDisposable
{
    private readonly byte[] _key;

    public AuditKey(string id, ReadOnlySpan<byte> key)
    {
        Id = id;
        _key = GC.AllocateUninitializedArray<byte>(key.Length, pinned: true);
        key.CopyTo(_key);
    }

    public string Id { get; }

    /// <summary>HMAC-SHA256 of <paramref name="data"/>.</summary>
    public byte[] Mac(ReadOnlySpan<byte> data) => HMACSHA256.HashData(_key, data);

    public void Dispose() => CryptographicOperations.ZeroMemory(_key);
}
