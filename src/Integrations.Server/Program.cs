using Integrations.Server;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddIntegrationsHubServer();
builder.Services.AddIntegrationsServerTelemetry(builder.Configuration);

var app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.MapIntegrationsHub();
app.Run();

/// <summary>The entry point, visible to tests that host the Server in-process.</summary>
public partial class Program;
