namespace Integrations.Core.Crypto;

/// <summary>What a hub key is for.</summary>
public enum KeyPurpose
{
    /// <summary>A KEK: wraps the data keys of sealed values.</summary>
    DataKeyEncryption,

    /// <summary>The key of the audit log's HMACs and hash chain.</summary>
    AuditHmac,
}

/// <summary>A hub key as stored: wrapped by the root wrapper. A retired KEK is no longer loaded.</summary>
public sealed record KeyRecord(
    string Id,
    KeyPurpose Purpose,
    WrappedKey Wrapped,
    DateTimeOffset CreatedAt,
    DateTimeOffset? RetiredAt = null,
    string? ETag = null)
{
    public bool IsRetired => RetiredAt is not null;
}

/// <summary>Which KEK wraps new data keys, and which key signs the audit log.</summary>
public sealed record KeyRingState(string ActiveKekId, string AuditKeyId, DateTimeOffset ActivatedAt, string? ETag = null);

/// <summary>Durable storage of the hub's wrapped keys.</summary>
public interface IKeyRecordStore
{
    Task<IReadOnlyList<KeyRecord>> ListAsync(CancellationToken cancellationToken = default);

    Task<KeyRecord?> GetAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Adds a record; <see cref="Common.WriteOutcome.Conflict"/> when the id exists.</summary>
    Task<Common.WriteOutcome> TryAddAsync(KeyRecord record, CancellationToken cancellationToken = default);

    /// <summary>Replaces a record if its ETag still matches.</summary>
    Task<Common.WriteOutcome> TryReplaceAsync(KeyRecord record, CancellationToken cancellationToken = default);

    Task<KeyRingState?> GetStateAsync(CancellationToken cancellationToken = default);

    /// <summary>Adds the state when none exists (first start), or replaces it when <see cref="KeyRingState.ETag"/> still matches.</summary>
    Task<Common.WriteOutcome> TrySetStateAsync(KeyRingState state, CancellationToken cancellationToken = default);
}
