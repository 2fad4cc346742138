using System.Net;
using System.Net.Http.Json;
using Integrations.Core.Tenancy;
using Integrations.Core.Vault;
using Microsoft.Extensions.DependencyInjection;
using static Integrations.Api.Tests.HubFixture;

namespace Integrations.Api.Tests.Secrets;

/// <summary>
/// A connection's tokens are a vault secret the hub manages (<c>connection.{id}.oauth</c>): listed like any secret, but
/// <c>secrets:reveal</c> and <c>secrets:write</c> do not reach it, so they cannot get round <c>connections:token</c>.
/// </summary>
public sealed class HubManagedSecretsApiTests(HubFixture hub) : IClassFixture<HubFixture>
{
    private const string TokenSecretName = "connection.con_aaaaaaaaaaaaaaaaaaaaaaaaaa.oauth";
    private const string TokenSetValue = "{\"access_token\":\"managed-access-token-value\"}";

    [Fact]
    public async Task Create_NameUnderTheHubsPrefix_Returns400AndWritesNothing()
    {
        var tenant = await hub.CreateTenantAsync();
        using var client = hub.Client(tenant.OwnerKey);

        var problem = await Problem(await client.PostAsJsonAsync(tenant.Secrets, new { name = TokenSecretName, value = "planted" }), HttpStatusCode.BadRequest, "secret-name-reserved");

        Assert.Equal("name", (string?)problem["field"]);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"{tenant.Secrets}/{TokenSecretName}")).StatusCode);
    }

    [Fact]
    public async Task RevealAndChanges_OfAHubManagedSecret_Return409AndLeaveItAsItWas()
    {
        var tenant = await hub.CreateTenantAsync();
        await StoreManagedSecretAsync(tenant);
        using var client = hub.Client(tenant.OwnerKey);
        var path = $"{tenant.Secrets}/{TokenSecretName}";

        var reveal = await client.PostAsync($"{path}/reveal", null);
        var revealBody = await reveal.Content.ReadAsStringAsync();
        await Problem(reveal, HttpStatusCode.Conflict, "secret-managed-by-hub");
        using var put = new HttpRequestMessage(HttpMethod.Put, path) { Content = JsonContent.Create(new { value = "overwritten" }) };
        await Problem(await client.SendAsync(put), HttpStatusCode.Conflict, "secret-managed-by-hub");
        await Problem(await client.DeleteAsync(path), HttpStatusCode.Conflict, "secret-managed-by-hub");
        await Problem(await client.PostAsync($"{path}/purge", null), HttpStatusCode.Conflict, "secret-managed-by-hub");

        Assert.DoesNotContain("managed-access-token-value", revealBody, StringComparison.Ordinal);
        var listed = await Json(await client.GetAsync(tenant.Secrets), HttpStatusCode.OK);
        Assert.Contains(listed["data"]!.AsArray(), item => (string?)item!["name"] == TokenSecretName);
        var stored = await hub.Services.GetRequiredService<VaultService>().RevealAsync(new SecretLocation(tenant.OrganizationId, tenant.ProjectId, TokenSecretName), null);
        Assert.True(stored.IsSuccess);
        Assert.Equal(TokenSetValue, stored.Value.Value);
    }

    [Fact]
    public async Task CreateConnection_SecretRefNamingAHubManagedSecret_Returns400()
    {
        var tenant = await hub.CreateTenantAsync();
        await StoreManagedSecretAsync(tenant);
        using var client = hub.Client(tenant.OwnerKey);

        var response = await client.PostAsJsonAsync($"/v1/projects/{tenant.ProjectId}/connections", new
        {
            name = "exfiltrate",
            type = "bearer",
            base_url = "https://api.example.com",
            secret_refs = new { token = TokenSecretName },
        });

        var problem = await Json(response, HttpStatusCode.BadRequest);
        Assert.Equal("secret_refs.token", (string?)problem["field"]);
    }

    private async Task StoreManagedSecretAsync(Tenant tenant)
    {
        var project = await hub.Services.GetRequiredService<ITenancyStore>().GetProjectAsync(tenant.OrganizationId, tenant.ProjectId);
        var created = await hub.Services.GetRequiredService<VaultService>().CreateAsync(project!, TokenSecretName,
            new SecretInput(TokenSetValue, null, null, SecretAuthTypes.OAuthToken, null), "system:token-lifecycle");
        Assert.True(created.IsSuccess);
    }
}
