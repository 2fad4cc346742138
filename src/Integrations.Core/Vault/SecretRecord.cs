using Integrations.Core.Crypto;

namespace Integrations.Core.Vault;

/// <summary>
/// A secret's current state: metadata, the number of its latest version and (when asked for) that version's
/// sealed value, so that revealing the latest value is one point read. <see cref="CurrentVersion"/> is also the
/// number of versions it has (versions are numbered from 1 and never removed one by one).
/// </summary>
public sealed record SecretRecord(
    SecretLocation Location,
    string SecretId,
    int CurrentVersion,
    string? Description,
    IReadOnlyList<string> Tags,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    string UpdatedBy,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? DeletedAt,
    SealedSecret? CurrentValue,
    string? ETag = null,
    bool Purging = false)
{
    private static readonly IReadOnlyDictionary<string, string> NoMetadata = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>What kind of credential it is (<see cref="SecretAuthTypes"/>); secrets stored before the field existed are <c>other</c>.</summary>
    public string AuthType { get; init; } = SecretAuthTypes.Other;

    /// <summary>Free-form string keys and values (<see cref="SecretRules.ValidateMetadata"/>). Lists do not read it: it is empty there.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = NoMetadata;

    /// <summary>When the credential stops working (set by its owner); the expiry check warns 30, 7 and 1 days before.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>How often it should be rotated: due at the latest version's time plus this; warned like <see cref="ExpiresAt"/>.</summary>
    public TimeSpan? RotateEvery { get; init; }

    public SealContext ContextFor(int version) => ContextFor(Location, SecretId, version);

    /// <summary>
    /// The associated data of a secret's value: tenant and project, and as the object both the name and the secret's
    /// id. Stores build <paramref name="location"/> from where a row sits (its keys), never from its columns, so a
    /// row copied to another name, project or tenant does not open. (Putting back a secret's own earlier rows, a
    /// rollback by someone with write access to storage, is not detected: that needs state outside the table.)
    /// </summary>
    public static SealContext ContextFor(SecretLocation location, string secretId, int version) =>
        new(location.OrganizationId, location.ProjectId, $"secret/{location.Name}/{secretId}", version);
}
