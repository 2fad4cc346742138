using Integrations.Core.Common;
using Integrations.Core.Crypto;

namespace Integrations.Core.Vault;

/// <summary>Where a secret lives: its tenant, project and name.</summary>
public readonly record struct SecretLocation(string OrganizationId, string ProjectId, string Name);

/// <summary>
/// A secret's current state: metadata, the number of its latest version and (when asked for) that version's
/// sealed value, so that revealing the latest value is one point read.
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

/// <summary>One version of a secret's value.</summary>
public sealed record SecretVersionRecord(SecretLocation Location, int Version, SealedSecret Value, string CreatedBy, DateTimeOffset CreatedAt);

/// <summary>Storage of secrets. Every write is conditional: nothing is ever overwritten silently.</summary>
public interface ISecretStore
{
    /// <summary>Adds the secret and its first version together; <see cref="WriteOutcome.Conflict"/> when the name is taken (even by a deleted secret).</summary>
    Task<WriteOutcome> TryCreateAsync(SecretRecord secret, SecretVersionRecord firstVersion, CancellationToken cancellationToken = default);

    /// <summary>The secret, with <see cref="SecretRecord.CurrentValue"/> only when <paramref name="includeValue"/> is true.</summary>
    Task<SecretRecord?> GetAsync(SecretLocation location, bool includeValue, CancellationToken cancellationToken = default);

    Task<SecretVersionRecord?> GetVersionAsync(SecretLocation location, int version, CancellationToken cancellationToken = default);

    /// <summary>
    /// Atomically adds <paramref name="version"/> and replaces the secret with <paramref name="updated"/>, if the
    /// secret's ETag is still <see cref="SecretRecord.ETag"/>.
    /// </summary>
    Task<WriteOutcome> TryAddVersionAsync(SecretRecord updated, SecretVersionRecord version, CancellationToken cancellationToken = default);

    /// <summary>Replaces the secret (deletion, restore) if its ETag still matches; <paramref name="updated"/> must carry its value.</summary>
    Task<WriteOutcome> TryUpdateAsync(SecretRecord updated, CancellationToken cancellationToken = default);

    /// <summary>The project's secrets whose name starts with <paramref name="namePrefix"/>, in name order, without values.</summary>
    Task<IReadOnlyList<SecretRecord>> ListAsync(string organizationId, string projectId, string? namePrefix, CancellationToken cancellationToken = default);

    /// <summary>The versions of a secret in order, without values.</summary>
    Task<IReadOnlyList<SecretVersionInfo>> ListVersionsAsync(SecretLocation location, CancellationToken cancellationToken = default);

    /// <summary>
    /// Removes the secret and all its versions for good: versions first, then the secret itself if its ETag is still
    /// <see cref="SecretRecord.ETag"/> of <paramref name="purging"/>, so an interrupted purge can simply run again.
    /// </summary>
    Task<WriteOutcome> PurgeAsync(SecretRecord purging, CancellationToken cancellationToken = default);
}

/// <summary>A version without its value.</summary>
public sealed record SecretVersionInfo(int Version, string CreatedBy, DateTimeOffset CreatedAt);
