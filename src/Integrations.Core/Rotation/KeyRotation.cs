using Integrations.Core.Common;
using Integrations.Core.Crypto;

namespace Integrations.Core.Rotation;

public enum RotationKind
{
    /// <summary>New KEK → active → every data key re-wrapped → verified → old KEKs retired.</summary>
    DataKeys,

    /// <summary>Re-wrap the KEK records with the current root key (new Key Vault key version or local root key).</summary>
    RootKey,
}

public enum RotationStatus
{
    Pending,
    Rewrapping,
    Verifying,
    Completed,
}

/// <summary>A rotation and its progress. Persisted after every batch, so a crashed run resumes where it stood.</summary>
public sealed record KeyRotation(
    string Id,
    RotationKind Kind,
    RotationStatus Status,
    string? NewKekId,
    IReadOnlyList<string> RetiringKekIds,
    long Total,
    long Done,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? CompletedAt = null,
    string? ETag = null);

/// <summary>Storage of rotations. At most one is in progress: starting another returns it instead.</summary>
public interface IKeyRotationStore
{
    /// <summary>Adds <paramref name="rotation"/> as the one in progress, or returns the id of the one already in progress.</summary>
    Task<string?> TryStartAsync(KeyRotation rotation, CancellationToken cancellationToken = default);

    Task<KeyRotation?> GetAsync(string id, CancellationToken cancellationToken = default);

    Task<KeyRotation?> GetInProgressAsync(CancellationToken cancellationToken = default);

    /// <summary>Replaces the rotation if its ETag still matches; a completed rotation also stops being the one in progress.</summary>
    Task<WriteOutcome> TryUpdateAsync(KeyRotation rotation, CancellationToken cancellationToken = default);
}

/// <summary>A stored value sealed under some KEK, wherever it lives (secret versions now; OAuth tokens later).</summary>
/// <param name="Address">Where the store keeps it; opaque to Core.</param>
public sealed record SealedValueRow(string Address, SealContext Context, SealedSecret Value, string ETag);

/// <summary>A store holding sealed values. Key rotation re-wraps the data keys of every registered source.</summary>
public interface ISealedValueSource
{
    /// <summary>How many values are wrapped by any of <paramref name="kekIds"/>.</summary>
    Task<long> CountAsync(IReadOnlyCollection<string> kekIds, CancellationToken cancellationToken = default);

    /// <summary>The values wrapped by any of <paramref name="kekIds"/>.</summary>
    IAsyncEnumerable<SealedValueRow> ListAsync(IReadOnlyCollection<string> kekIds, CancellationToken cancellationToken = default);

    /// <summary>Replaces a value with its re-wrapped form if the row is unchanged since it was read.</summary>
    Task<WriteOutcome> TryReplaceAsync(SealedValueRow row, SealedSecret rewrapped, CancellationToken cancellationToken = default);
}
