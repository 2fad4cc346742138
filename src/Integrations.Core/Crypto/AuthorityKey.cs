using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Integrations.Core.Crypto;

/// <summary>
/// The key of authority, zeroed on dispose. Several uses, each with its own label (domain separation), so an output of one
/// can never stand for an output of the other: the lookup hash of an API key, and the MAC of a row that grants authority.
/// </summary>
public sealed class AuthorityKey : IDisposable
{
    private static readonly byte[] LookupLabel = "ih/authority/apikey-lookup/v1"u8.ToArray();
    private static readonly byte[] RowLabel = "ih/authority/row/v1"u8.ToArray();
    private static readonly byte[] RefreshLookupLabel = "ih/authority/refresh-lookup/v1"u8.ToArray();
    private static readonly byte[] RefreshTagLabel = "ih/authority/refresh-tag/v1"u8.ToArray();
    private readonly byte[] _key;

    public AuthorityKey(string id, ReadOnlySpan<byte> key)
    {
        Id = id;
        _key = GC.AllocateUninitializedArray<byte>(key.Length, pinned: true);
        key.CopyTo(_key);
    }

    public string Id { get; }

    /// <summary>
    /// The API key's lookup hash: lowercase hex HMAC-SHA256 of the label and the key's SHA-256 digest. Over the digest rather
    /// than the key itself so that keys stored by the foundation (as their SHA-256) can be moved over without the keys.
    /// </summary>
    public string LookupHash(ReadOnlySpan<byte> sha256Digest)
    {
        Span<byte> data = stackalloc byte[LookupLabel.Length + sha256Digest.Length];
        LookupLabel.CopyTo(data);
        sha256Digest.CopyTo(data[LookupLabel.Length..]);
        return Convert.ToHexStringLower(HMACSHA256.HashData(_key, data));
    }

    /// <summary>
    /// A refresh token's lookup hash: as <see cref="LookupHash"/>, under its own label, so a refresh token's hash can never
    /// stand for an API key's (or the reverse) even if the two credentials had the same bytes.
    /// </summary>
    public string RefreshTokenLookupHash(ReadOnlySpan<byte> sha256Digest)
    {
        Span<byte> data = stackalloc byte[RefreshLookupLabel.Length + sha256Digest.Length];
        RefreshLookupLabel.CopyTo(data);
        sha256Digest.CopyTo(data[RefreshLookupLabel.Length..]);
        return Convert.ToHexStringLower(HMACSHA256.HashData(_key, data));
    }

    /// <summary>
    /// The tag a refresh token carries over its own leading characters (who, which session, which generation, a nonce):
    /// HMAC-SHA256 under its own label. It proves the hub issued a token of that session and generation without a row per
    /// token, which is what lets a consumed token be recognised (and its family revoked) when it comes back.
    /// </summary>
    public byte[] RefreshTokenTag(ReadOnlySpan<byte> body)
    {
        Span<byte> data = stackalloc byte[RefreshTagLabel.Length + body.Length];
        RefreshTagLabel.CopyTo(data);
        body.CopyTo(data[RefreshTagLabel.Length..]);
        return HMACSHA256.HashData(_key, data);
    }

    /// <summary>
    /// The MAC of a row of <paramref name="kind"/> (e.g. <c>apikey/v1</c>) over <paramref name="fields"/>, each
    /// length-prefixed (a null field is distinct from an empty one), as base64.
    /// </summary>
    public string RowMac(string kind, IReadOnlyList<string?> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        using var buffer = new MemoryStream();
        buffer.Write(RowLabel);
        Write(buffer, kind);
        foreach (var field in fields)
        {
            Write(buffer, field);
        }

        return Convert.ToBase64String(HMACSHA256.HashData(_key, buffer.GetBuffer().AsSpan(0, (int)buffer.Length)));

        static void Write(MemoryStream stream, string? value)
        {
            Span<byte> length = stackalloc byte[4];
            if (value is null)
            {
                BinaryPrimitives.WriteInt32BigEndian(length, -1);
                stream.Write(length);
                return;
            }

            var bytes = Encoding.UTF8.GetBytes(value);
            BinaryPrimitives.WriteInt32BigEndian(length, bytes.Length);
            stream.Write(length);
            stream.Write(bytes);
        }
    }

    /// <summary>True when <paramref name="mac"/> is the row's MAC (compared in fixed time).</summary>
    public bool VerifyRowMac(string kind, IReadOnlyList<string?> fields, string? mac)
    {
        if (string.IsNullOrEmpty(mac))
        {
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(RowMac(kind, fields));
        var actual = Encoding.ASCII.GetBytes(mac);
        return CryptographicOperations.FixedTimeEquals(expected, actual);
    }

    public void Dispose() => CryptographicOperations.ZeroMemory(_key);
}
