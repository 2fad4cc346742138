using Integrations.Core.Common;

namespace Integrations.Core.Rotation;

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
