namespace Integrations.Core.Crypto;

/// <summary>Durable storage of the hub's wrapped keys.</summary>
public interface IKeyRecordStore
{
    Task<IReadOnlyList<KeyRecord>> ListAsync(CancellationToken cancellationToken = default);

    Task<KeyRecord?> GetAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Adds a record; <see cref="Common.WriteOutcome.Conflict"/> when the id exists.</summary>
    Task<Common.WriteOutcome> TryAddAsync(KeyRecord record, CancellationToken cancellationToken = default);

    /// <summary>Replaces a record if its ETag still matches.</summary>
    Task<Common.WriteOutcome> TryReplaceAsync(KeyRecord record, CancellationToken cancellationToken = default);

    /// <summary>
    /// Removes a record if its ETag still matches (<see cref="Common.WriteOutcome.Conflict"/> when it changed,
    /// <see cref="Common.WriteOutcome.NotFound"/> when it is gone). Only for keys nothing can need again.
    /// </summary>
    Task<Common.WriteOutcome> TryDeleteAsync(KeyRecord record, CancellationToken cancellationToken = default);

    Task<KeyRingState?> GetStateAsync(CancellationToken cancellationToken = default);

    /// <summary>Adds the state when none exists (first start), or replaces it when <see cref="KeyRingState.ETag"/> still matches.</summary>
    Task<Common.WriteOutcome> TrySetStateAsync(KeyRingState state, CancellationToken cancellationToken = default);
}
