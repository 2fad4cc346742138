using Integrations.Core.Common;

namespace Integrations.Core.Vault;

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
