using Integrations.Core.Rotation;

namespace Integrations.Api.Admin;

public sealed record RotateKeysRequest(string? Target);

public sealed record RotationResponse(
    string Id, RotationKind Kind, RotationStatus Status, long Total, long Done, double Percent, string? NewKekId, IReadOnlyList<string> RetiringKekIds,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? CompletedAt)
{
    public static RotationResponse From(KeyRotation r) => new(
        r.Id, r.Kind, r.Status, r.Total, r.Done, r.Total == 0 ? (r.Status == RotationStatus.Completed ? 100 : 0) : Math.Round(100.0 * Math.Min(r.Done, r.Total) / r.Total, 1),
        r.NewKekId, r.RetiringKekIds, r.CreatedAt, r.UpdatedAt, r.CompletedAt);
}
