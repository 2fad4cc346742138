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
    string? ETag = null)
{
    public SealContext ContextFor(int version) => new(Location.OrganizationId, Location.ProjectId, SecretId, version);
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

    /// <summary>Removes the secret and all its versions for good.</summary>
    Task PurgeAsync(SecretLocation location, CancellationToken cancellationToken = default);
}

/// <summary>A version without its value.</summary>
public sealed record SecretVersionInfo(int Version, string CreatedBy, DateTimeOffset CreatedAt);
