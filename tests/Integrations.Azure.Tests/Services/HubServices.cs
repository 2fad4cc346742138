using System.Security.Cryptography;
using Integrations.Azure.Hosting;
using Integrations.Core.Common;
using Integrations.Core.Hosting;
using Integrations.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Integrations.Azure.Tests.Services;

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

    public static string NewRootKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>Starts services; pass the same prefix (and keys) to get a second instance over the same storage.</summary>
    public static async Task<HubServices> StartAsync(
        string? prefix = null, string? rootKey = null, IDictionary<string, string?>? settings = null, Action<IServiceCollection>? configure = null)
    {
        var azurite = await AzuriteInstance.Shared;
        prefix ??= AzuriteInstance.NewPrefix();
        var values = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["Storage"] = azurite.ConnectionString,
            ["Storage:Prefix"] = prefix,
            ["KeyWrapping:RootKey"] = rootKey ?? NewRootKey(),
            ["KeyWrapping:ActiveKeyRefreshInterval"] = "00:00:01",
            ["KeyWrapping:RotationSettleTime"] = "00:00:01",
            ["Hub:AdminKey"] = new string('a', 40),
            ["Audit:SealDelay"] = "00:00:00",
        };
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

    public ValueTask DisposeAsync() => Provider.DisposeAsync();
}
