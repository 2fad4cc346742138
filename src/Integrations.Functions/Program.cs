using Integrations.Api;
using Integrations.Api.Identity;
using Integrations.Azure.Hosting;
using Integrations.Azure.Queues;
using Integrations.Core.Connections;
using Integrations.Core.Hosting;
using Integrations.Functions;
using Integrations.Http.Hosting;
using Integrations.Http.OAuth;
using Integrations.Http.Resilience;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

// The same composition as the Server; the jobs run as triggers here instead of hosted services.
var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
// The worker's HTTP peer is always the Functions host on loopback: without the forwarded address every client would
// share one failed-authentication budget. A default only — app settings still override it.
builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource
{
    InitialData = new Dictionary<string, string?> { ["RateLimits:TrustForwardedFor"] = "true" },
});
builder.Services
    .AddIntegrationsCore()
    .AddIntegrationsAzure()
    .AddIntegrationsHttp()
    .AddIntegrationsOAuth()
    .AddIntegrationsApi()
    .AddIntegrationsUserAuthentication()
    // Core checks a connection's retry_strategy against Integrations.Http's strategies, which it cannot reference.
    .AddSingleton<IRetryStrategyCatalog>(new RetryStrategyCatalog(RetryStrategies.All.Keys))
    // The host binds each queue trigger to %Jobs:Queues:…% from app settings, with no default: stop at start,
    // naming the setting, when one is missing, rather than enqueue to a queue no trigger listens on.
    .Configure<JobQueueOptions>(options => options.NameSettingsRequired = true)
    .AddIntegrationsFunctionsTelemetry(builder.Configuration);

builder.Build().Run();
