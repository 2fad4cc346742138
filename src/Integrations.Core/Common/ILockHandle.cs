namespace Integrations.Core.Common;

/// <summary>A held lock. Work done under it stops when <see cref="Lost"/> fires: another holder may have it now.</summary>
public interface ILockHandle : IAsyncDisposable
{
    CancellationToken Lost { get; }
}
