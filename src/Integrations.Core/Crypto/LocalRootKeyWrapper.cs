using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace Integrations.Core.Crypto;

/// <summary>
/// Development root wrapper: AES-256-GCM under a 32-byte key from configuration. Each root key is named by a
/// fingerprint, so KEKs wrapped by an earlier key still open while it is listed in <c>PreviousRootKeys</c>.
/// The associated data names the key's purpose and record (<see cref="KeyBinding"/>), so a wrap copied into another
/// record fails authentication; legacy (format 1) wraps used a fixed label and open only through the legacy path.
/// </summary>
public sealed class LocalRootKeyWrapper : IRootKeyWrapper, IDisposable
{
    private static readonly byte[] LegacyAssociatedData = "ih/root/local/v1"u8.ToArray();
    private readonly LocalRootKey _current;
    private readonly Dictionary<string, LocalRootKey> _keys = new(StringComparer.Ordinal);

    public LocalRootKeyWrapper(IOptions<KeyWrappingOptions> options)
    {
        var settings = options.Value;
        _current = LocalRootKey.Decode(settings.RootKey);
        _keys[_current.Id] = _current;
        foreach (var previous in settings.PreviousRootKeys)
        {
            var key = LocalRootKey.Decode(previous);
            _keys.TryAdd(key.Id, key);
        }
    }

    public Task<WrappedKey> WrapAsync(ReadOnlyMemory<byte> key, KeyBinding binding, CancellationToken cancellationToken = default)
    {
        var associatedData = binding.ToAssociatedData();
        var output = new byte[SealedSecret.NonceSize + key.Length + SealedSecret.TagSize];
        var nonce = output.AsSpan(0, SealedSecret.NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_current.Key, SealedSecret.TagSize);
        aes.Encrypt(nonce, key.Span, output.AsSpan(SealedSecret.NonceSize, key.Length), output.AsSpan(SealedSecret.NonceSize + key.Length), associatedData);
        return Task.FromResult(new WrappedKey(_current.Id, output, WrappedKey.BoundFormat));
    }

    public Task<byte[]> UnwrapAsync(WrappedKey wrapped, KeyBinding binding, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(wrapped);
        var associatedData = wrapped.Format switch
        {
            WrappedKey.BoundFormat => binding.ToAssociatedData(),
            WrappedKey.LegacyFormat => LegacyAssociatedData,
            _ => throw new SecretIntegrityException($"The wrapped key has an unknown format ({wrapped.Format})."),
        };
        if (!_keys.TryGetValue(wrapped.RootKeyId, out var rootKey))
        {
            throw new InvalidOperationException(
                $"A key is wrapped by root key '{wrapped.RootKeyId}', which is not configured: add it to KeyWrapping:PreviousRootKeys.");
        }

        var input = wrapped.Ciphertext;
        if (input.Length < SealedSecret.NonceSize + SealedSecret.TagSize)
        {
            throw new SecretIntegrityException("The wrapped key is truncated.");
        }

        var length = input.Length - SealedSecret.NonceSize - SealedSecret.TagSize;
        var output = new byte[length];
        try
        {
            using var aes = new AesGcm(rootKey.Key, SealedSecret.TagSize);
            aes.Decrypt(input.AsSpan(0, SealedSecret.NonceSize), input.AsSpan(SealedSecret.NonceSize, length),
                input.AsSpan(SealedSecret.NonceSize + length), output, associatedData);
        }
        catch (AuthenticationTagMismatchException ex)
        {
            throw new SecretIntegrityException("The wrapped key failed authentication under the root key (altered, or copied from another key record).", ex);
        }

        return Task.FromResult(output);
    }

    public Task<string> GetCurrentKeyIdAsync(CancellationToken cancellationToken = default) => Task.FromResult(_current.Id);

    public Task CheckAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    public void Dispose()
    {
        foreach (var key in _keys.Values)
        {
            key.Dispose();
        }
    }
}
