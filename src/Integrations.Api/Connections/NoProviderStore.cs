using Integrations.Core.Common;
using Integrations.Core.OAuth;

namespace Integrations.Api.Connections;

/// <summary>
/// The provider store while no adapter registers one: a project has no providers, so an OAuth connection's
/// <c>provider_id</c> is refused as unknown. Registered with TryAdd after the storage adapters, so the real store
/// (AddIntegrationsAzure) always wins once it exists.
/// </summary>
internal sealed class NoProviderStore : IProviderStore
{
    public Task<OAuthProvider?> GetAsync(string organizationId, string projectId, string providerId, CancellationToken cancellationToken = default) =>
        Task.FromResult<OAuthProvider?>(null);

    public Task<PagedList<OAuthProvider>> ListAsync(string organizationId, string projectId, PageRequest page, CancellationToken cancellationToken = default) =>
        Task.FromResult(new PagedList<OAuthProvider>([], page, 0));

    public Task<WriteOutcome> TryCreateAsync(OAuthProvider provider, CancellationToken cancellationToken = default) => throw Unsupported();

    public Task<WriteOutcome> TryUpdateAsync(OAuthProvider updated, CancellationToken cancellationToken = default) => throw Unsupported();

    public Task<WriteOutcome> TryDeleteAsync(OAuthProvider provider, CancellationToken cancellationToken = default) => throw Unsupported();

    private static NotSupportedException Unsupported() => new("No provider store is registered: add the storage adapter's (AddIntegrationsAzure).");
}
