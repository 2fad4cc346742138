using Azure.Monitor.OpenTelemetry.Exporter;
using Integrations.Api.Telemetry;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Integrations.Functions;

internal static class FunctionsTelemetry
{
    /// <summary>
    /// The worker's telemetry: the hub's spans, metrics and logs (<see cref="TelemetryServiceCollectionExtensions.AddIntegrationsTelemetry"/>,
    /// without request instrumentation — the host records each invocation's request, with <c>telemetryMode</c> OpenTelemetry
    /// in host.json), the worker's invocation spans joined to the host's trace, and Azure Monitor when
    /// <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> is set.
    /// </summary>
    public static IServiceCollection AddIntegrationsFunctionsTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var telemetry = services.AddIntegrationsTelemetry(serverRequests: false).UseFunctionsWorkerDefaults();
        if (!string.IsNullOrWhiteSpace(configuration[TelemetryOptions.ApplicationInsightsSetting]))
        {
            telemetry.UseAzureMonitorExporter(options =>
            {
                // Nothing is sampled away: head sampling cannot know which invocation will fail.
                options.SamplingRatio = 1.0F;
                options.TracesPerSecond = null;
                options.EnableTraceBasedLogsSampler = false;
            });
        }

        return services;
    }
}
