using Integrations.Api;
using Integrations.Api.Identity;
using Integrations.Azure.Hosting;
using Integrations.Core.Connections;
using Integrations.Core.Hosting;
using Integrations.Http.Hosting;
using Integrations.Http.OAuth;
using Integrations.Http.Resilience;

namespace Integrations.Server;

public static class ServerServiceCollectionExtensions
{
    /// <summary>
    /// The whole hub as the Server runs it: the domain, its Azure and outbound-HTTP adapters, the API with its request
    /// pipeline, and the jobs as hosted services. Program.cs and the tests that inspect the Server compose it the same way.
    /// </summary>
    public static IServiceCollection AddIntegrationsHubServer(this IServiceCollection services) =>
        services
            .AddIntegrationsCore()
            .AddIntegrationsAzure()
            .AddIntegrationsHttp()
            .AddIntegrationsOAuth()
            .AddIntegrationsApi()
            .AddIntegrationsUserAuthentication()
            // Core checks a connection's retry_strategy against Integrations.Http's strategies, which it cannot reference.
            .AddSingleton<IRetryStrategyCatalog>(new RetryStrategyCatalog(RetryStrategies.All.Keys))
            .AddIntegrationsServerJobs();
}
