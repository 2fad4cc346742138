namespace Integrations.Core.Identity;

/// <summary>An API key as stored: never the key itself, only its SHA-256 and a hint.</summary>
/// <param name="ParentKeyId">
/// The key that created this one (null for an organization's owner key and keys an operator created with the CLI).
/// Revoking a key revokes every key below it.
/// </param>
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
    DateTimeOffset? RevokedAt = null,
    string? ParentKeyId = null)
{
    public bool IsUsableAt(DateTimeOffset now) => RevokedAt is null && (ExpiresAt is null || ExpiresAt > now);
}
