using Integrations.Api;
using Integrations.Azure.Hosting;
using Integrations.Core.Hosting;
using Integrations.Server;

var builder = WebApplication.CreateBuilder(args);
builder.Services
    .AddIntegrationsCore()
    .AddIntegrationsAzure()
    .AddIntegrationsApi()
    .AddIntegrationsServerJobs();

var app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.MapIntegrationsHub();
app.Run();

/// <summary>The entry point, visible to tests that host the Server in-process.</summary>
public partial class Program;
