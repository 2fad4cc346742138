using System.Net;
using System.Net.Http.Json;
using static Integrations.Api.Tests.HubFixture;

namespace Integrations.Api.Tests.Secrets;

/// <summary>A hub with small quotas: 3 secrets per project, 3 versions per secret.</summary>
public sealed class SmallQuotaHub : IAsyncLifetime, IDisposable
{
    public HubFixture Hub { get; } = new();

    public async Task InitializeAsync()
    {
        Hub.Settings["Vault:MaxSecretsPerProject"] = "3";
        Hub.Settings["Vault:MaxVersionsPerSecret"] = "3";
        await Hub.InitializeAsync();
    }

    public Task DisposeAsync() => Hub.DisposeAsync();

    public void Dispose() => Hub.Dispose();
}

public sealed class SecretQuotaApiTests(SmallQuotaHub fixture) : IClassFixture<SmallQuotaHub>
{
    private HubFixture Hub => fixture.Hub;

    [Fact]
    public async Task Create_PastSecretsPerProject_Returns409AndWritesNothing()
    {
        // Arrange: three secrets, one of them deleted (it keeps its place until purged).
        var tenant = await Hub.CreateTenantAsync();
        using var client = Hub.Client(tenant.OwnerKey);
        foreach (var name in new[] { "one", "two", "three" })
        {
            await Json(await client.PostAsJsonAsync(tenant.Secrets, new { name, value = "v" }), HttpStatusCode.Created);
        }

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"{tenant.Secrets}/three")).StatusCode);

        // Act
        var problem = await Problem(await client.PostAsJsonAsync(tenant.Secrets, new { name = "four", value = "v" }), HttpStatusCode.Conflict, "secret-quota-exceeded");

        // Assert: nothing written; purging makes room again; another project has its own quota.
        Assert.Contains("Vault:MaxSecretsPerProject", (string?)problem["detail"], StringComparison.Ordinal);
        await Problem(await client.GetAsync($"{tenant.Secrets}/four"), HttpStatusCode.NotFound, "not-found");
        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsync($"{tenant.Secrets}/three/purge", null)).StatusCode);
        await Json(await client.PostAsJsonAsync(tenant.Secrets, new { name = "four", value = "v" }), HttpStatusCode.Created);
        var other = await Hub.CreateTenantAsync();
        using var otherClient = Hub.Client(other.OwnerKey);
        await Json(await otherClient.PostAsJsonAsync(other.Secrets, new { name = "one", value = "v" }), HttpStatusCode.Created);
    }

    [Fact]
    public async Task Update_PastVersionsPerSecret_Returns409AndWritesNothing()
    {
        var tenant = await Hub.CreateTenantAsync();
        using var client = Hub.Client(tenant.OwnerKey);
        await Json(await client.PostAsJsonAsync(tenant.Secrets, new { name = "rotating", value = "v1" }), HttpStatusCode.Created);
        await Json(await client.PutAsJsonAsync($"{tenant.Secrets}/rotating", new { value = "v2" }), HttpStatusCode.OK);
        await Json(await client.PutAsJsonAsync($"{tenant.Secrets}/rotating", new { value = "v3" }), HttpStatusCode.OK);

        await Problem(await client.PutAsJsonAsync($"{tenant.Secrets}/rotating", new { value = "v4" }), HttpStatusCode.Conflict, "version-quota-exceeded");

        var versions = await Json(await client.GetAsync($"{tenant.Secrets}/rotating/versions"), HttpStatusCode.OK);
        var latest = await Json(await client.PostAsync($"{tenant.Secrets}/rotating/reveal", null), HttpStatusCode.OK);
        Assert.Equal(3, (int?)versions["pagination"]!["total"]);
        Assert.Equal(("v3", 3), ((string?)latest["value"], (int?)latest["version"]));
        // Metadata can still change: a PATCH writes no version.
        await Json(await client.PatchAsJsonAsync($"{tenant.Secrets}/rotating", new { description = "still editable" }), HttpStatusCode.OK);
    }
}
