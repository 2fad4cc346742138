using Integrations.Core.Crypto;

namespace Integrations.Azure.Tests.Crypto;

/// <summary>The real local root wrapper, counting wrap and unwrap calls.</summary>
internal sealed class CountingRootKeyWrapper(LocalRootKeyWrapper inner) : IRootKeyWrapper
{
    private int _wraps;
    private int _unwraps;

    public int Wraps => _wraps;

    public int Unwraps => _unwraps;

    public Task<WrappedKey> WrapAsync(ReadOnlyMemory<byte> key, KeyBinding binding, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _wraps);
        return inner.WrapAsync(key, binding, cancellationToken);
    }

    public Task<byte[]> UnwrapAsync(WrappedKey wrapped, KeyBinding binding, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _unwraps);
        return inner.UnwrapAsync(wrapped, binding, cancellationToken);
    }

    public Task<string> GetCurrentKeyIdAsync(CancellationToken cancellationToken = default) => inner.GetCurrentKeyIdAsync(cancellationToken);

    public Task CheckAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;
}
