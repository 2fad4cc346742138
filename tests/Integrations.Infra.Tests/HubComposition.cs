using Integrations.Api;
using Integrations.Api.Identity;
using Integrations.Azure.Hosting;
using Integrations.Azure.Queues;
using Integrations.Core.Connections;
using Integrations.Core.Hosting;
using Integrations.Http.Hosting;
using Integrations.Http.OAuth;
using Integrations.Http.Resilience;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Integrations.Infra.Tests;

/// <summary>
/// The Functions app's services as src/Integrations.Functions/Program.cs composes them (keep the two alike), over
/// the app settings a deployment would give it, and the start-up validation the host runs before serving.
/// </summary>
internal static class HubComposition
{
    /// <summary>
    /// Validates <paramref name="appSettings"/> as the hub does at start: null when it would start, else the message
    /// naming what is wrong. App setting names spell ':' as '__'; .NET configuration reads them back the same way.
    /// </summary>
    public static async Task<string?> StartupFailureAsync(IReadOnlyDictionary<string, string> appSettings)
    {
        var configuration = new ConfigurationBuilder()
            // Program.cs's own default, inserted below every other source.
            .AddInMemoryCollection(new Dictionary<string, string?> { ["RateLimits:TrustForwardedFor"] = "true" })
            .AddInMemoryCollection(appSettings.Select(s => KeyValuePair.Create(s.Key.Replace("__", ":", StringComparison.Ordinal), (string?)s.Value)))
            .Build();
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        services
            .AddIntegrationsCore()
            .AddIntegrationsAzure()
            .AddIntegrationsHttp()
            .AddIntegrationsOAuth()
            .AddIntegrationsApi()
            .AddIntegrationsUserAuthentication()
            .AddSingleton<IRetryStrategyCatalog>(new RetryStrategyCatalog(RetryStrategies.All.Keys))
            .Configure<JobQueueOptions>(options => options.NameSettingsRequired = true);
        // Some singletons (the audit store, the outbound pipelines) dispose only asynchronously.
        await using var provider = services.BuildServiceProvider();
        try
        {
            provider.GetRequiredService<IStartupValidator>().Validate();
            return null;
        }
        catch (OptionsValidationException e)
        {
            return e.Message;
        }
        catch (AggregateException e)
        {
            return string.Join("; ", e.Flatten().InnerExceptions.Select(inner => inner.Message));
        }
    }
}
