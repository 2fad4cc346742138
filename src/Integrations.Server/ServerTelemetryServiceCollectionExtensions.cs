using Azure.Monitor.OpenTelemetry.AspNetCore;
using Integrations.Api.Telemetry;

namespace Integrations.Server;

public static class ServerTelemetryServiceCollectionExtensions
{
    /// <summary>
    /// The Server's telemetry: <see cref="TelemetryServiceCollectionExtensions.AddIntegrationsTelemetry"/> (requests by route
    /// and status, outbound HTTP, the hub's spans and metrics, logs; the console with <c>Telemetry:Console</c>), and Azure
    /// Monitor when <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> is set.
    /// </summary>
    public static IServiceCollection AddIntegrationsServerTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var telemetry = services.AddIntegrationsTelemetry(serverRequests: true);
        if (!string.IsNullOrWhiteSpace(configuration[TelemetryOptions.ApplicationInsightsSetting]))
        {
            telemetry.UseAzureMonitor(options =>
            {
                // Every span is kept: head sampling cannot know which request will fail, and dropping none is the only
                // way not to drop a failed one. Logs are not thinned by their trace's sampling either.
                options.SamplingRatio = 1.0F;
                options.TracesPerSecond = null;
                options.EnableTraceBasedLogsSampler = false;
            });
        }

        return services;
    }
}
