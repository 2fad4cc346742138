using Integrations.Core.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Integrations.Api.Telemetry;

public static class TelemetryServiceCollectionExtensions
{
    /// <summary>
    /// OpenTelemetry traces, metrics and logs for either shell: the hub's own source and meter (<see cref="HubTelemetry.Name"/>),
    /// outbound HTTP (provider calls, token requests, deliveries), and — with <paramref name="serverRequests"/>, in the Server;
    /// the Functions host records requests itself — incoming requests by route template and status. Every span and log record
    /// passes <see cref="TelemetryRedaction"/> before any exporter. <c>Telemetry:Console</c> adds the console exporter; a shell
    /// adds Azure Monitor. Returns the builder so a shell can add its exporter.
    /// </summary>
    public static OpenTelemetryBuilder AddIntegrationsTelemetry(this IServiceCollection services, bool serverRequests = true)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptionsWithValidateOnStart<TelemetryOptions>().BindConfiguration(TelemetryOptions.SectionName).ValidateDataAnnotations();
        // Instrumentation options are named-default options: Azure Monitor's distro adds the same instrumentations, and reads these.
        services.Configure<OpenTelemetry.Instrumentation.AspNetCore.AspNetCoreTraceInstrumentationOptions>(o =>
        {
            // An exception's message can quote input; the span's status and error.type say enough.
            o.RecordException = false;
        });
        services.Configure<OpenTelemetry.Instrumentation.Http.HttpClientTraceInstrumentationOptions>(o => o.RecordException = false);
        services.AddLogging(logging =>
        {
            // These categories write the full request URL (query included) at Information: they never reach an exporter.
            logging.AddFilter<OpenTelemetryLoggerProvider>("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);
            logging.AddFilter<OpenTelemetryLoggerProvider>("System.Net.Http.HttpClient", LogLevel.Warning);
        });

        var builder = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(TelemetryOptions.ServiceName))
            .WithTracing(tracing =>
            {
                tracing.AddSource(HubTelemetry.Name).AddHttpClientInstrumentation();
                if (serverRequests)
                {
                    tracing.AddAspNetCoreInstrumentation();
                }

                // First of all processors, so every exporter (console, Azure Monitor, a test's) sees the redacted span.
                tracing.AddProcessor(new TelemetryRedaction.SpanProcessor());
                Deferred(tracing).Configure((sp, b) =>
                {
                    if (sp.GetRequiredService<IOptions<TelemetryOptions>>().Value.Console)
                    {
                        b.AddProcessor(new SimpleActivityExportProcessor(new ConsoleActivityExporter(new ConsoleExporterOptions())));
                    }
                });
            })
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(HubTelemetry.Name).AddHttpClientInstrumentation();
                if (serverRequests)
                {
                    // http.server.request.duration by http.route (the template) and http.response.status_code.
                    metrics.AddAspNetCoreInstrumentation();
                }

                Deferred(metrics).Configure((sp, b) =>
                {
                    if (sp.GetRequiredService<IOptions<TelemetryOptions>>().Value.Console)
                    {
                        b.AddReader(new PeriodicExportingMetricReader(new ConsoleMetricExporter(new ConsoleExporterOptions()), 10_000));
                    }
                });
            })
            .WithLogging(logging =>
            {
                logging.AddProcessor(new TelemetryRedaction.LogProcessor());
                Deferred(logging).Configure((sp, b) =>
                {
                    if (sp.GetRequiredService<IOptions<TelemetryOptions>>().Value.Console)
                    {
                        b.AddProcessor(new SimpleLogRecordExportProcessor(new ConsoleLogRecordExporter(new ConsoleExporterOptions())));
                    }
                });
            }, options =>
            {
                // Scopes can carry request paths; the message template and its named values are what the hub wrote.
                options.IncludeScopes = false;
                options.IncludeFormattedMessage = true;
            });
        return builder;
    }

    // The builders WithTracing/WithMetrics/WithLogging hand out are deferred ones: what they add can depend on options.
    private static IDeferredTracerProviderBuilder Deferred(TracerProviderBuilder builder) =>
        builder as IDeferredTracerProviderBuilder ?? throw new InvalidOperationException("The tracer provider builder is not a deferred one.");

    private static IDeferredMeterProviderBuilder Deferred(MeterProviderBuilder builder) =>
        builder as IDeferredMeterProviderBuilder ?? throw new InvalidOperationException("The meter provider builder is not a deferred one.");

    private static IDeferredLoggerProviderBuilder Deferred(LoggerProviderBuilder builder) =>
        builder as IDeferredLoggerProviderBuilder ?? throw new InvalidOperationException("The logger provider builder is not a deferred one.");
}
