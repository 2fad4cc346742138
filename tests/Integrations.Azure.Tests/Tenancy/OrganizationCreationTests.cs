using Integrations.Azure.Tables;
using Integrations.Core.Common;
using Integrations.Core.Identity;
using Integrations.Core.Tenancy;
using Microsoft.Extensions.DependencyInjection;

namespace Integrations.Azure.Tests.Tenancy;

public sealed class OrganizationCreationTests
{
    [Fact]
    public async Task CreateOrganization_OwnerKeyWriteFails_LeavesNoOrganizationBehind()
    {
        // The real Table store, with its write failing: the fault a storage outage would cause mid-creation.
        await using var hub = await HubServices.StartAsync(configure: s => s.AddSingleton<IApiKeyStore>(sp =>
            new FailingAdds(ActivatorUtilities.CreateInstance<TableApiKeyStore>(sp))));
        var tenancy = hub.Get<TenancyService>();
        var store = hub.Get<ITenancyStore>();

        await Assert.ThrowsAsync<IOException>(() => tenancy.CreateOrganizationAsync("Doomed", "test"));

        var organizations = new List<string>();
        await foreach (var row in new global::Azure.Data.Tables.TableClient(hub.ConnectionString, hub.Prefix + "tenancy")
            .QueryAsync<global::Azure.Data.Tables.TableEntity>(e => e.PartitionKey == "org"))
        {
            organizations.Add(row.RowKey);
        }

        Assert.Empty(organizations);
        Assert.Null(await store.GetOrganizationAsync(Ids.New("org")));
    }

    private sealed class FailingAdds(IApiKeyStore inner) : IApiKeyStore
    {
        public Task AddAsync(ApiKey key, CancellationToken cancellationToken = default) => throw new IOException("storage unavailable");

        public Task<ApiKey?> FindByHashAsync(string hash, CancellationToken cancellationToken = default) => inner.FindByHashAsync(hash, cancellationToken);

        public Task<ApiKey?> GetAsync(string organizationId, string keyId, CancellationToken cancellationToken = default) => inner.GetAsync(organizationId, keyId, cancellationToken);

        public Task<IReadOnlyList<ApiKey>> ListAsync(string organizationId, CancellationToken cancellationToken = default) => inner.ListAsync(organizationId, cancellationToken);

        public Task<WriteOutcome> RevokeAsync(string organizationId, string keyId, DateTimeOffset revokedAt, CancellationToken cancellationToken = default) =>
            inner.RevokeAsync(organizationId, keyId, revokedAt, cancellationToken);
    }
}
