using Integrations.Core.Common;

namespace Integrations.Core.OAuth;

/// <summary>Storage of a project's OAuth providers. Every write is conditional: nothing is overwritten silently.</summary>
public interface IProviderStore
{
    /// <summary>Adds the provider; <see cref="WriteOutcome.Conflict"/> when its name is taken in the project.</summary>
    Task<WriteOutcome> TryCreateAsync(OAuthProvider provider, CancellationToken cancellationToken = default);

    Task<OAuthProvider?> GetAsync(string organizationId, string projectId, string providerId, CancellationToken cancellationToken = default);

    /// <summary>Replaces the provider if its ETag still matches (a rename moves its unique-name claim).</summary>
    Task<WriteOutcome> TryUpdateAsync(OAuthProvider updated, CancellationToken cancellationToken = default);

    Task<WriteOutcome> TryDeleteAsync(OAuthProvider provider, CancellationToken cancellationToken = default);

    /// <summary>
    /// Across every tenant: providers whose <see cref="OAuthProvider.ClientSecretExpiresAt"/> is before
    /// <paramref name="before"/>, at most <paramref name="max"/> (for the daily expiry check, not a request path).
    /// </summary>
    IAsyncEnumerable<OAuthProvider> ListClientSecretsExpiringAsync(DateTimeOffset before, int max, CancellationToken cancellationToken = default);

    Task<PagedList<OAuthProvider>> ListAsync(string organizationId, string projectId, PageRequest page, CancellationToken cancellationToken = default);
}
