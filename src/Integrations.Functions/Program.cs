using Integrations.Api;
using Integrations.Azure.Hosting;
using Integrations.Azure.Queues;
using Integrations.Core.Hosting;
using Integrations.Http.Hosting;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

// The same composition as the Server; the jobs run as triggers here instead of hosted services.
var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.Services
    .AddIntegrationsCore()
    .AddIntegrationsAzure()
    .AddIntegrationsHttp()
    .AddIntegrationsApi()
    // The host binds each queue trigger to %Jobs:Queues:…% from app settings, with no default: stop at start,
    // naming the setting, when one is missing, rather than enqueue to a queue no trigger listens on.
    .Configure<JobQueueOptions>(options => options.NameSettingsRequired = true);

builder.Build().Run();
