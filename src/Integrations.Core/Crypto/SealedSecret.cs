using System.Text;

namespace Integrations.Core.Crypto;

/// <summary>
/// The stored form of an encrypted value: self-describing and versioned so the format can change without a migration.
/// </summary>
/// <remarks>
/// Format 2 (written now), all in one byte string:
/// <code>
/// [0]      format version (2)
/// [1]      algorithm (1 = AES-256-GCM payload, DEK wrapped with AES-256-GCM by a KEK)
/// [2]      n = length of the KEK id
/// [3..]    KEK id (ASCII, n bytes)
///          wrapped DEK: nonce (12) | ciphertext (32) | tag (16)
///          payload:     nonce (12) | tag (16) | ciphertext (rest)
/// </code>
/// In format 2 the format and algorithm bytes are authenticated: they lead the associated data of both the wrapped DEK
/// and the payload, so a value whose header is changed (say, relabelled as format 1) fails to open. Format 1, the
/// foundation's, has the same layout without that; it still opens (its header is checked only against the list of known
/// ones), and a KEK rotation keeps each value's format, since the payload is copied, not re-encrypted.
/// </remarks>
public sealed class SealedSecret
{
    internal const byte FormatVersion = 2;
    internal const byte LegacyFormatVersion = 1;
    internal const byte AlgorithmAesGcm = 1;
    internal const int NonceSize = 12;
    internal const int TagSize = 16;
    internal const int KeySize = 32;
    internal const int WrappedDekSize = NonceSize + KeySize + TagSize;
    private const int MaxKekIdLength = 64;

    private SealedSecret(byte[] bytes, string kekId, int wrappedDekOffset)
    {
        Format = bytes[0];
        Bytes = bytes;
        KekId = kekId;
        WrappedDekOffset = wrappedDekOffset;
    }

    /// <summary>The whole stored form.</summary>
    public byte[] Bytes { get; }

    /// <summary>The id of the key-encryption key that wrapped this value's data key.</summary>
    public string KekId { get; }

    /// <summary>The format version: 2, or 1 for a value sealed by the foundation.</summary>
    public byte Format { get; }

    internal int WrappedDekOffset { get; }

    internal int PayloadOffset => WrappedDekOffset + WrappedDekSize;

    internal ReadOnlySpan<byte> WrappedDek => Bytes.AsSpan(WrappedDekOffset, WrappedDekSize);

    internal ReadOnlySpan<byte> Payload => Bytes.AsSpan(PayloadOffset);

    /// <summary>The number of bytes a sealed value of <paramref name="plaintextLength"/> bytes takes.</summary>
    public static int SizeFor(int plaintextLength, string kekId) =>
        3 + kekId.Length + WrappedDekSize + NonceSize + TagSize + plaintextLength;

    /// <summary>Reads a stored form. Throws <see cref="SecretIntegrityException"/> when it is not one.</summary>
    public static SealedSecret Parse(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if (bytes.Length < 3 || bytes[0] is not (FormatVersion or LegacyFormatVersion) || bytes[1] != AlgorithmAesGcm)
        {
            throw new SecretIntegrityException("The sealed value has an unknown format or algorithm.");
        }

        var kekIdLength = bytes[2];
        var wrappedDekOffset = 3 + kekIdLength;
        if (kekIdLength is 0 or > MaxKekIdLength || bytes.Length < wrappedDekOffset + WrappedDekSize + NonceSize + TagSize)
        {
            throw new SecretIntegrityException("The sealed value is truncated.");
        }

        return new SealedSecret(bytes, Encoding.ASCII.GetString(bytes, 3, kekIdLength), wrappedDekOffset);
    }

    internal static byte[] Allocate(string kekId, int plaintextLength, out int wrappedDekOffset, byte format = FormatVersion)
    {
        if (kekId.Length is 0 or > MaxKekIdLength || !Ascii.IsValid(kekId))
        {
            throw new ArgumentException("A KEK id is 1 to 64 ASCII characters.", nameof(kekId));
        }

        var bytes = new byte[SizeFor(plaintextLength, kekId)];
        bytes[0] = format;
        bytes[1] = AlgorithmAesGcm;
        bytes[2] = (byte)kekId.Length;
        Encoding.ASCII.GetBytes(kekId, bytes.AsSpan(3));
        wrappedDekOffset = 3 + kekId.Length;
        return bytes;
    }

    internal static SealedSecret FromAllocated(byte[] bytes, string kekId, int wrappedDekOffset) => new(bytes, kekId, wrappedDekOffset);
}
