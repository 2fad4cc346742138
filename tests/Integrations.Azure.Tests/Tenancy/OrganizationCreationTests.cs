using Integrations.Azure.Tables;
using Integrations.Azure.Tests.Identity;
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

    private sealed class FailingAdds(IApiKeyStore inner) : DelegatingApiKeyStore(inner)
    {
        public override Task AddAsync(ApiKey key, CancellationToken cancellationToken = default) => throw new IOException("storage unavailable");
    }

    [Fact]
    public async Task CreateProject_AtTheProjectQuota_IsRefusedWith409()
    {
        await using var hub = await HubServices.StartAsync(settings: new Dictionary<string, string?> { ["Hub:MaxProjectsPerOrganization"] = "2" });
        var tenancy = hub.Get<TenancyService>();
        var org = (await tenancy.CreateOrganizationAsync("Acme", "test")).Value.Organization.Id;
        var other = (await tenancy.CreateOrganizationAsync("Other", "test")).Value.Organization.Id;
        Assert.True((await tenancy.CreateProjectAsync(org, "one", "test")).IsSuccess);
        Assert.True((await tenancy.CreateProjectAsync(org, "two", "test")).IsSuccess);

        var third = await tenancy.CreateProjectAsync(org, "three", "test");
        var elsewhere = await tenancy.CreateProjectAsync(other, "three", "test");

        Assert.Equal(TenancyErrors.ProjectQuotaReached, third.Error?.Code);
        Assert.Equal(ErrorKind.Conflict, third.Error?.Kind);
        Assert.True(elsewhere.IsSuccess);
        Assert.Equal(2, (await tenancy.ListProjectsAsync(org)).Count);
    }
}
