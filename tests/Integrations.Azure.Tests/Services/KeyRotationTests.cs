using Azure.Data.Tables;
using Integrations.Core.Crypto;
using Integrations.Core.Rotation;
using Integrations.Core.Tenancy;
using Integrations.Core.Vault;

namespace Integrations.Azure.Tests.Services;

public sealed class KeyRotationTests
{
    [Fact]
    public async Task Rotate_RewrapsEveryValue_AndRetiresTheOldKek()
    {
        await using var hub = await HubServices.StartAsync();
        var (org, project) = await CreateProjectAsync(hub);
        await CreateSecretsAsync(hub, org, project, count: 25, versions: 2);
        var oldKek = (await hub.Get<KeyRing>().GetStateAsync()).ActiveKekId;
        var rotations = hub.Get<KeyRotationService>();

        var started = await rotations.StartAsync(RotationKind.DataKeys);
        var finished = await rotations.RunAsync(started.Id);

        Assert.Equal(RotationStatus.Completed, finished!.Status);
        Assert.Equal(75, finished.Total); // 25 secrets: one current-value copy and two versions each
        Assert.Equal(0, await CountWrappedByAsync(hub, oldKek));
        Assert.Null(await hub.Get<KeyRing>().GetAsync(oldKek));
        await AssertAllRevealAsync(hub, org, project, count: 25);
    }

    private static async Task<(string Org, string Project)> CreateProjectAsync(HubServices hub)
    {
        var tenancy = hub.Get<TenancyService>();
        var org = await tenancy.CreateOrganizationAsync("Rotating", "test");
        var project = await tenancy.CreateProjectAsync(org.Value.Organization.Id, "p", "test");
        return (org.Value.Organization.Id, project.Value!.Id);
    }

    internal static async Task CreateSecretsAsync(HubServices hub, string org, string project, int count, int versions)
    {
        var vault = hub.Get<VaultService>();
        for (var i = 0; i < count; i++)
        {
            Assert.True((await vault.CreateAsync(org, project, $"s{i}", new SecretInput($"value-{i}-1", null, null), "test")).IsSuccess);
            for (var v = 2; v <= versions; v++)
            {
                Assert.True((await vault.UpdateAsync(new SecretLocation(org, project, $"s{i}"), new SecretInput($"value-{i}-{v}", null, null), null, "test")).IsSuccess);
            }
        }
    }

    internal static async Task AssertAllRevealAsync(HubServices hub, string org, string project, int count)
    {
        var vault = hub.Get<VaultService>();
        for (var i = 0; i < count; i++)
        {
            var latest = await vault.RevealAsync(new SecretLocation(org, project, $"s{i}"), null);
            var first = await vault.RevealAsync(new SecretLocation(org, project, $"s{i}"), 1);
            Assert.StartsWith($"value-{i}-", latest.Value!.Value, StringComparison.Ordinal);
            Assert.Equal($"value-{i}-1", first.Value!.Value);
        }
    }

    internal static async Task<int> CountWrappedByAsync(HubServices hub, string kekId)
    {
        var count = 0;
        await foreach (var unused in new TableClient(hub.ConnectionString, hub.Prefix + "secrets").QueryAsync<TableEntity>($"KekId eq '{kekId}'"))
        {
            count++;
        }

        return count;
    }
}
