using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Integrations.Core.Crypto;

/// <summary>
/// Envelope encryption: every value gets a fresh 256-bit data key (DEK) and is sealed with AES-256-GCM, bound
/// to its <see cref="SealContext"/>; the DEK is wrapped by a key-encryption key (KEK) with AES-256-GCM, bound to
/// the KEK id and the same context. In format 2 the value's format and algorithm bytes lead that associated data, so the
/// header cannot be changed either. DEKs are zeroed as soon as they have been used.
/// </summary>
public sealed class EnvelopeCipher(KeyRing keyRing)
{
    private static readonly byte[] DekLabel = "ih/dek/v1"u8.ToArray();

    /// <summary>Seals <paramref name="plaintext"/> under the active KEK.</summary>
    public async ValueTask<SealedSecret> SealAsync(ReadOnlyMemory<byte> plaintext, SealContext context, CancellationToken cancellationToken = default)
    {
        var kek = await keyRing.GetActiveAsync(cancellationToken).ConfigureAwait(false);
        return Seal(plaintext.Span, context, kek);
    }

    /// <summary>
    /// Opens a sealed value. The caller owns the returned buffer and should zero it when done.
    /// Throws <see cref="SecretIntegrityException"/> when the value was altered, moved, or its KEK is gone.
    /// </summary>
    public async ValueTask<byte[]> OpenAsync(SealedSecret sealedSecret, SealContext context, CancellationToken cancellationToken = default)
    {
        var kek = await keyRing.GetAsync(sealedSecret.KekId, cancellationToken).ConfigureAwait(false);
        if (kek is null)
        {
            throw keyRing.IsUnavailable(sealedSecret.KekId)
                ? new KeyUnavailableException($"KEK '{sealedSecret.KekId}' cannot be unwrapped right now (root key unreachable).")
                : new SecretIntegrityException($"The value is wrapped by KEK '{sealedSecret.KekId}', which is unknown or past its retirement grace period.");
        }

        return Open(sealedSecret, context, kek);
    }

    public static SealedSecret Seal(ReadOnlySpan<byte> plaintext, SealContext context, KeyEncryptionKey kek)
    {
        var bytes = SealedSecret.Allocate(kek.Id, plaintext.Length, out var wrappedDekOffset);
        var associatedData = AssociatedData(bytes[0], bytes[1], context);
        // One call for the data key and both nonces: the random source's per-call cost dominates at these sizes.
        Span<byte> random = stackalloc byte[SealedSecret.KeySize + (2 * SealedSecret.NonceSize)];
        RandomNumberGenerator.Fill(random);
        var dek = random[..SealedSecret.KeySize];
        try
        {
            var payload = bytes.AsSpan(wrappedDekOffset + SealedSecret.WrappedDekSize);
            var nonce = payload[..SealedSecret.NonceSize];
            random.Slice(SealedSecret.KeySize, SealedSecret.NonceSize).CopyTo(nonce);
            using (var aes = new AesGcm(dek, SealedSecret.TagSize))
            {
                aes.Encrypt(nonce, plaintext, payload[(SealedSecret.NonceSize + SealedSecret.TagSize)..],
                    payload.Slice(SealedSecret.NonceSize, SealedSecret.TagSize), associatedData);
            }

            WrapDek(dek, random[(SealedSecret.KeySize + SealedSecret.NonceSize)..], kek, associatedData, bytes.AsSpan(wrappedDekOffset, SealedSecret.WrappedDekSize));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(random);
        }

        return SealedSecret.FromAllocated(bytes, kek.Id, wrappedDekOffset);
    }

    public static byte[] Open(SealedSecret sealedSecret, SealContext context, KeyEncryptionKey kek)
    {
        if (!string.Equals(sealedSecret.KekId, kek.Id, StringComparison.Ordinal))
        {
            throw new SecretIntegrityException("The value is wrapped by another KEK.");
        }

        var associatedData = AssociatedData(sealedSecret, context);
        Span<byte> dek = stackalloc byte[SealedSecret.KeySize];
        try
        {
            UnwrapDek(sealedSecret, kek, associatedData, dek);
            var payload = sealedSecret.Payload;
            var ciphertext = payload[(SealedSecret.NonceSize + SealedSecret.TagSize)..];
            var plaintext = new byte[ciphertext.Length];
            try
            {
                using var aes = new AesGcm(dek, SealedSecret.TagSize);
                aes.Decrypt(payload[..SealedSecret.NonceSize], ciphertext, payload.Slice(SealedSecret.NonceSize, SealedSecret.TagSize), plaintext, associatedData);
            }
            catch (AuthenticationTagMismatchException ex)
            {
                throw new SecretIntegrityException("The sealed value failed authentication.", ex);
            }

            return plaintext;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dek);
        }
    }

    /// <summary>Re-wraps the DEK of <paramref name="sealedSecret"/> under <paramref name="target"/>; the payload is copied unchanged.</summary>
    public static SealedSecret Rewrap(SealedSecret sealedSecret, SealContext context, KeyEncryptionKey current, KeyEncryptionKey target)
    {
        var associatedData = AssociatedData(sealedSecret, context);
        Span<byte> dek = stackalloc byte[SealedSecret.KeySize];
        try
        {
            UnwrapDek(sealedSecret, current, associatedData, dek);
            var payload = sealedSecret.Payload;
            var plaintextLength = payload.Length - SealedSecret.NonceSize - SealedSecret.TagSize;
            // The payload is copied unchanged, and its associated data names its format: the value keeps its format.
            var bytes = SealedSecret.Allocate(target.Id, plaintextLength, out var wrappedDekOffset, sealedSecret.Format);
            payload.CopyTo(bytes.AsSpan(wrappedDekOffset + SealedSecret.WrappedDekSize));
            Span<byte> nonce = stackalloc byte[SealedSecret.NonceSize];
            RandomNumberGenerator.Fill(nonce);
            WrapDek(dek, nonce, target, associatedData, bytes.AsSpan(wrappedDekOffset, SealedSecret.WrappedDekSize));
            return SealedSecret.FromAllocated(bytes, target.Id, wrappedDekOffset);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dek);
        }
    }

    private static byte[] AssociatedData(SealedSecret sealedSecret, SealContext context) =>
        AssociatedData(sealedSecret.Bytes[0], sealedSecret.Bytes[1], context);

    // Format 2: the header bytes, then the context. Format 1 (the foundation's) authenticated the context only.
    private static byte[] AssociatedData(byte format, byte algorithm, SealContext context)
    {
        var contextData = context.ToAssociatedData();
        if (format == SealedSecret.LegacyFormatVersion)
        {
            return contextData;
        }

        var data = new byte[2 + contextData.Length];
        data[0] = format;
        data[1] = algorithm;
        contextData.CopyTo(data, 2);
        return data;
    }

    private static void WrapDek(ReadOnlySpan<byte> dek, ReadOnlySpan<byte> nonce, KeyEncryptionKey kek, byte[] contextData, Span<byte> destination)
    {
        nonce.CopyTo(destination);
        Span<byte> associatedData = stackalloc byte[DekAssociatedDataLength(kek.Id, contextData)];
        WriteDekAssociatedData(kek.Id, contextData, associatedData);
        var aes = kek.Rent();
        try
        {
            aes.Encrypt(destination[..SealedSecret.NonceSize], dek, destination.Slice(SealedSecret.NonceSize, SealedSecret.KeySize),
                destination[(SealedSecret.NonceSize + SealedSecret.KeySize)..], associatedData);
        }
        finally
        {
            kek.Return(aes);
        }
    }

    private static void UnwrapDek(SealedSecret sealedSecret, KeyEncryptionKey kek, byte[] contextData, Span<byte> dek)
    {
        var wrapped = sealedSecret.WrappedDek;
        Span<byte> associatedData = stackalloc byte[DekAssociatedDataLength(kek.Id, contextData)];
        WriteDekAssociatedData(kek.Id, contextData, associatedData);
        var aes = kek.Rent();
        try
        {
            aes.Decrypt(wrapped[..SealedSecret.NonceSize], wrapped.Slice(SealedSecret.NonceSize, SealedSecret.KeySize),
                wrapped[(SealedSecret.NonceSize + SealedSecret.KeySize)..], dek, associatedData);
        }
        catch (AuthenticationTagMismatchException ex)
        {
            throw new SecretIntegrityException("The wrapped data key failed authentication.", ex);
        }
        finally
        {
            kek.Return(aes);
        }
    }

    // Label, KEK id (length-prefixed) and the value's context: a DEK only unwraps under its own KEK and place.
    private static int DekAssociatedDataLength(string kekId, byte[] contextData) => DekLabel.Length + 2 + kekId.Length + contextData.Length;

    private static void WriteDekAssociatedData(string kekId, byte[] contextData, Span<byte> destination)
    {
        DekLabel.CopyTo(destination);
        BinaryPrimitives.WriteUInt16BigEndian(destination[DekLabel.Length..], (ushort)kekId.Length);
        Encoding.ASCII.GetBytes(kekId, destination[(DekLabel.Length + 2)..]);
        contextData.CopyTo(destination[(DekLabel.Length + 2 + kekId.Length)..]);
    }
}
