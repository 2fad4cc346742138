using Azure.Data.Tables;
using Integrations.Azure.Hosting;
using Integrations.Core.Common;
using Integrations.Core.Hosting;
using Integrations.Core.Tenancy;
using Integrations.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Integrations.Azure.Tests;

/// <summary>The hub's services (Core + Azure) against Azurite with a storage prefix of its own: no HTTP, real storage.</summary>
public sealed class HubServices : IAsyncDisposable
{
    private HubServices(ServiceProvider provider, string prefix, string connectionString)
    {
        Provider = provider;
        Prefix = prefix;
        ConnectionString = connectionString;
    }

    public ServiceProvider Provider { get; }

    public string Prefix { get; }

    public string ConnectionString { get; }

    public T Get<T>()
        where T : notnull => Provider.GetRequiredService<T>();

    public static string NewRootKey() => HubTestSettings.NewRootKey();

    /// <summary>Starts services; pass the same prefix (and keys) to get a second instance over the same storage.</summary>
    public static async Task<HubServices> StartAsync(
        string? prefix = null, string? rootKey = null, IDictionary<string, string?>? settings = null, Action<IServiceCollection>? configure = null)
    {
        var azurite = await AzuriteInstance.Shared;
        prefix ??= AzuriteInstance.NewPrefix();
        var values = new HubTestSettings(azurite.ConnectionString) { Prefix = prefix, RootKey = rootKey ?? NewRootKey() }.Build();
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(values).Build())
            .AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        services.AddIntegrationsCore().AddIntegrationsAzure();
        configure?.Invoke(services);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        await provider.GetRequiredService<IHubStorage>().InitializeAsync();
        return new HubServices(provider, prefix, azurite.ConnectionString);
    }

    /// <summary>A new organization named <paramref name="organizationName"/> with one project, "p".</summary>
    public async Task<(string Org, string Project)> CreateProjectAsync(string organizationName)
    {
        var tenancy = Get<TenancyService>();
        var org = await tenancy.CreateOrganizationAsync(organizationName, "test");
        var project = await tenancy.CreateProjectAsync(org.Value.Organization.Id, "p", "test");
        return (org.Value.Organization.Id, project.Value!.Id);
    }

    /// <summary>The project as the vault takes it: found in its organization.</summary>
    public async Task<Project> ProjectAsync(string organizationId, string projectId) =>
        await Get<TenancyService>().GetProjectAsync(organizationId, projectId) ?? throw new InvalidOperationException($"No project {projectId} in {organizationId}.");

    /// <summary>How many stored secret rows (current values and versions) are sealed under <paramref name="kekId"/>.</summary>
    public async Task<int> CountWrappedByAsync(string kekId)
    {
        var count = 0;
        await foreach (var unused in new TableClient(ConnectionString, Prefix + "secrets").QueryAsync<TableEntity>($"KekId eq '{kekId}'"))
        {
            count++;
        }

        return count;
    }

    public ValueTask DisposeAsync() => Provider.DisposeAsync();
}
