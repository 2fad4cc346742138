namespace Integrations.Core.Identity;

/// <summary>
/// An API key as stored: never the key itself, only its lookup hash (an HMAC under the ring's authority key) and a hint.
/// <see cref="Mac"/> authenticates its authority fields (<see cref="Integrity.AuthorityRows.Fields(ApiKey)"/>).
/// </summary>
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
    /// <summary>The row MAC under the authority key; null for a row in the foundation's format (refused until <c>ihub upgrade</c>).</summary>
    public string? Mac { get; init; }

    public bool IsUsableAt(DateTimeOffset now) => RevokedAt is null && (ExpiresAt is null || ExpiresAt > now);
}
