using Integrations.Core.Audit;
using Integrations.Core.Common;
using Integrations.Core.Identity;
using Integrations.Core.Rotation;
using Integrations.Core.Tenancy;
using Integrations.Core.Vault;
using Microsoft.AspNetCore.Http;

namespace Integrations.Api.Http;

// The shapes the API returns. None has a field for a secret value except RevealResponse and the key returned once at creation.

public sealed record Pagination(int Page, int PerPage, long Total, long TotalPages);

public sealed record ListResponse<T>(IReadOnlyList<T> Data, Pagination Pagination);

public sealed record OrganizationCreatedResponse(string Id, string Name, string ApiKey, string ApiKeyId, DateTimeOffset CreatedAt);

public sealed record ProjectResponse(string Id, string Name, string CreatedBy, DateTimeOffset CreatedAt);

public sealed record ApiKeyResponse(
    string Id, string Name, IReadOnlyList<string> Scopes, string Hint, string CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt);

public sealed record ApiKeyCreatedResponse(string Id, string Key, string Name, IReadOnlyList<string> Scopes, DateTimeOffset? ExpiresAt);

public sealed record SecretResponse(
    string Id, string Name, int Version, string? Description, IReadOnlyList<string> Tags, string CreatedBy, DateTimeOffset CreatedAt,
    string UpdatedBy, DateTimeOffset UpdatedAt, DateTimeOffset? DeletedAt, DateTimeOffset? PurgeAfter);

public sealed record SecretVersionResponse(int Version, string CreatedBy, DateTimeOffset CreatedAt);

public sealed record RevealResponse(string Name, int Version, string Value);

public sealed record AuditRecordResponse(
    string Id, DateTimeOffset Time, string Action, string Outcome, int Status, string ActorType, string ActorId, string? ProjectId, string? Target,
    string? SourceIp, string? UserAgent, string? RequestId, string? CredentialHmac, bool Sealed);

public sealed record RotationResponse(
    string Id, RotationKind Kind, RotationStatus Status, long Total, long Done, double Percent, string? NewKekId, IReadOnlyList<string> RetiringKekIds,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? CompletedAt);

internal static class Responses
{
    public static IResult Json<T>(T value, int status = StatusCodes.Status200OK) => Results.Json(value, ApiJson.Options, statusCode: status);

    public static IResult Page<TSource, T>(PagedList<TSource> page, Func<TSource, T> map) =>
        Json(new ListResponse<T>(page.Items.Select(map).ToList(), new Pagination(page.Request.Page, page.Request.PerPage, page.Total, page.TotalPages)));

    public static ProjectResponse Project(Project p) => new(p.Id, p.Name, p.CreatedBy, p.CreatedAt);

    public static ApiKeyResponse ApiKey(ApiKey k) => new(k.Id, k.Name, k.Scopes, k.Hint, k.CreatedBy, k.CreatedAt, k.ExpiresAt, k.RevokedAt);

    public static SecretResponse Secret(SecretRecord s, TimeSpan retention) => new(
        s.SecretId, s.Location.Name, s.CurrentVersion, s.Description, s.Tags, s.CreatedBy, s.CreatedAt, s.UpdatedBy, s.UpdatedAt, s.DeletedAt, s.DeletedAt + retention);

    public static AuditRecordResponse Audit(AuditRecord r) => new(
        r.Id, r.Time, r.Action, r.Outcome, r.Status, r.ActorType, r.ActorId, r.ProjectId, r.Target, r.SourceIp, r.UserAgent, r.RequestId, r.CredentialHmac,
        r.ChainHash is not null);

    public static RotationResponse Rotation(KeyRotation r) => new(
        r.Id, r.Kind, r.Status, r.Total, r.Done, r.Total == 0 ? (r.Status == RotationStatus.Completed ? 100 : 0) : Math.Round(100.0 * Math.Min(r.Done, r.Total) / r.Total, 1),
        r.NewKekId, r.RetiringKekIds, r.CreatedAt, r.UpdatedAt, r.CompletedAt);
}
