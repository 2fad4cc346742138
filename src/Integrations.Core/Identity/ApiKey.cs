namespace Integrations.Core.Identity;

/// <summary>An API key as stored: never the key itself, only its SHA-256 and a hint.</summary>
public sealed record ApiKey(
    string Id,
    string OrganizationId,
    string Name,
    IReadOnlyList<string> Scopes,
    string Hash,
    string Hint,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset? RevokedAt = null)
{
    public bool IsUsableAt(DateTimeOffset now) => RevokedAt is null && (ExpiresAt is null || ExpiresAt > now);
}
