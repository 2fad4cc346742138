using Integrations.Client.Secrets;
using Microsoft.Extensions.DependencyInjection;

namespace Integrations.Client.Tests.Secrets;

/// <summary>Every secrets method once, against the Server process.</summary>
[Collection(HubServerGroup.Name)]
public sealed class SecretsClientTests(HubServer hub)
{
    [Fact]
    public async Task CreateGetReveal_ByNameAndById_RoundTripTheValueAndMetadata()
    {
        // Arrange
        var tenant = await hub.NewTenantAsync();
        using var client = hub.Client(tenant);

        // Act
        var created = await client.Secrets.CreateAsync(tenant.ProjectId, new NewSecret("stripe-key", "sk_test_123") { Tags = ["stripe"], Description = "Stripe" });
        var byName = await client.Secrets.GetAsync(tenant.ProjectId, "stripe-key");
        var byId = await client.Secrets.GetByIdAsync(tenant.ProjectId, created.Id);
        var revealed = await client.Secrets.RevealAsync(tenant.ProjectId, "stripe-key");
        var revealedById = await client.Secrets.RevealByIdAsync(tenant.ProjectId, created.Id);

        // Assert
        Assert.StartsWith("sec_", created.Id, StringComparison.Ordinal);
        Assert.Equal(1, created.Version);
        Assert.Equal(created.Id, byName.Id);
        Assert.Equal("stripe-key", byId.Name);
        Assert.Equal(["stripe"], byName.Tags);
        Assert.Equal("Stripe", byId.Description);
        Assert.Equal("sk_test_123", revealed);
        Assert.Equal("sk_test_123", revealedById);
    }

    [Fact]
    public async Task UpdateAndVersions_TwoVersions_RevealsEachAndListsBoth()
    {
        // Arrange
        var tenant = await hub.NewTenantAsync();
        using var client = hub.Client(tenant);
        await client.Secrets.CreateAsync(tenant.ProjectId, new NewSecret("db-password", "first"));

        // Act
        var updated = await client.Secrets.UpdateAsync(tenant.ProjectId, "db-password", "second", ifMatchVersion: 1);
        var versions = await client.Secrets.ListVersionsAsync(tenant.ProjectId, "db-password");
        var latest = await client.Secrets.RevealSecretAsync(tenant.ProjectId, "db-password");
        var first = await client.Secrets.RevealAsync(tenant.ProjectId, "db-password", version: 1);

        // Assert
        Assert.Equal(2, updated.Version);
        Assert.Equal([1, 2], versions.Data.Select(v => v.Version).Order());
        Assert.Equal(2, latest.Version);
        Assert.Equal("second", latest.Value);
        Assert.DoesNotContain("second", latest.ToString(), StringComparison.Ordinal);
        Assert.Equal("first", first);
    }

    [Fact]
    public async Task ListDeleteRestore_SearchAndTag_FindsTheSecretAndBringsItBack()
    {
        // Arrange
        var tenant = await hub.NewTenantAsync();
        using var client = hub.Client(tenant);
        await client.Secrets.CreateAsync(tenant.ProjectId, new NewSecret("github-token", "ghp_1") { Tags = ["github"] });
        await client.Secrets.CreateAsync(tenant.ProjectId, new NewSecret("slack-token", "xoxb-1") { Tags = ["slack"] });

        // Act
        var searched = await client.Secrets.ListAsync(tenant.ProjectId, new SecretQuery { Search = "git" });
        var tagged = await client.Secrets.ListAsync(tenant.ProjectId, new SecretQuery { Tag = "slack" });
        await client.Secrets.DeleteAsync(tenant.ProjectId, "github-token");
        var live = await client.Secrets.ListAsync(tenant.ProjectId);
        var deleted = await client.Secrets.ListAsync(tenant.ProjectId, new SecretQuery { Deleted = true });
        var restored = await client.Secrets.RestoreAsync(tenant.ProjectId, "github-token");

        // Assert
        Assert.Equal(["github-token"], searched.Data.Select(s => s.Name));
        Assert.Equal(["slack-token"], tagged.Data.Select(s => s.Name));
        Assert.Equal(["slack-token"], live.Data.Select(s => s.Name));
        var gone = Assert.Single(deleted.Data);
        Assert.NotNull(gone.DeletedAt);
        Assert.NotNull(gone.PurgeAfter);
        Assert.Null(restored.DeletedAt);
        Assert.Equal("ghp_1", await client.Secrets.RevealAsync(tenant.ProjectId, "github-token"));
    }
}

/// <summary>The DI-registered client against the Server process.</summary>
[Collection(HubServerGroup.Name)]
public sealed class DependencyInjectionTests(HubServer hub)
{
    [Fact]
    public async Task AddIntegrationsHubClient_AgainstTheHub_CreatesAndRevealsASecret()
    {
        var tenant = await hub.NewTenantAsync();
        var services = new ServiceCollection().AddIntegrationsHubClient(o =>
        {
            o.BaseAddress = hub.BaseAddress;
            o.ApiKey = tenant.ApiKey;
        });
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<IntegrationsHubClient>();

        await client.Secrets.CreateAsync(tenant.ProjectId, new NewSecret("from-di", "v1"));

        Assert.Equal("v1", await client.Secrets.RevealAsync(tenant.ProjectId, "from-di"));
    }
}
