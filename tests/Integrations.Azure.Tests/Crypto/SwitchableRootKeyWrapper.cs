using System.Security.Cryptography;
using Integrations.Core.Crypto;

namespace Integrations.Azure.Tests.Crypto;

/// <summary>The real local root wrapper that can be switched off, as a Key Vault key is disabled: every call then fails.</summary>
internal sealed class SwitchableRootKeyWrapper(LocalRootKeyWrapper inner) : IRootKeyWrapper
{
    public volatile bool Disabled;

    public Task<WrappedKey> WrapAsync(ReadOnlyMemory<byte> key, KeyBinding binding, CancellationToken cancellationToken = default) =>
        Disabled ? throw new CryptographicException("The root key is disabled.") : inner.WrapAsync(key, binding, cancellationToken);

    public Task<byte[]> UnwrapAsync(WrappedKey wrapped, KeyBinding binding, CancellationToken cancellationToken = default) =>
        Disabled ? throw new CryptographicException("The root key is disabled.") : inner.UnwrapAsync(wrapped, binding, cancellationToken);

    public Task<string> GetCurrentKeyIdAsync(CancellationToken cancellationToken = default) => inner.GetCurrentKeyIdAsync(cancellationToken);

    public Task CheckAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;
}
