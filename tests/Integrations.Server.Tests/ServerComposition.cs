using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Integrations.Server.Tests;

/// <summary>The Server's services as Program.cs composes them, built but not started (nothing connects until used).</summary>
internal static class ServerComposition
{
    /// <summary>Settings enough to build; <paramref name="settings"/> add to or replace them.</summary>
    public static ServiceProvider Build(IDictionary<string, string?>? settings = null, Action<IServiceCollection>? configure = null)
    {
        var values = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["Storage"] = "UseDevelopmentStorage=true",
            ["Storage:Prefix"] = "ih",
            ["KeyWrapping:RootKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["Hub:AdminKey"] = new string('a', 40),
            ["Audit:SealSchedule"] = "0 */5 * * * *",
            ["Audit:CleanupSchedule"] = "0 30 3 * * *",
            ["KeyWrapping:RotationCheckSchedule"] = "0 10 * * * *",
            ["Hub:ApiKeyCleanupSchedule"] = "0 45 3 * * *",
            ["Vault:PurgeSchedule"] = "0 45 3 * * *",
            ["Vault:ExpiryCheckSchedule"] = "0 0 4 * * *",
            ["OAuth:StateCleanupSchedule"] = "0 */15 * * * *",
            ["OAuth:RefreshAheadSchedule"] = "0 */5 * * * *",
            ["OAuth:ClientSecretExpiryCheckSchedule"] = "0 15 4 * * *",
            ["Webhooks:PoisonDrainSchedule"] = "0 * * * * *",
            ["Webhooks:FanOutRecoverySchedule"] = "30 * * * * *",
            ["Counters:CleanupSchedule"] = "0 50 3 * * *",
            ["Connections:HealthCheckSchedule"] = "0 0 5 * * *",
            ["Webhooks:CleanupSchedule"] = "0 20 4 * * *",
            ["Auth:SessionCleanupSchedule"] = "0 40 4 * * *",
            ["Hub:PublicBaseUrl"] = "https://hub.example.com",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(values).Build())
            .AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        services.AddIntegrationsHubServer();
        configure?.Invoke(services);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}
