using Integrations.Api;
using Integrations.Azure.Hosting;
using Integrations.Core.Hosting;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

// The same composition as the Server; the jobs run as triggers here instead of hosted services.
var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.Services
    .AddIntegrationsCore()
    .AddIntegrationsAzure()
    .AddIntegrationsApi();

builder.Build().Run();
