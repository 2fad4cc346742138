namespace Integrations.Core.Rotation;

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
