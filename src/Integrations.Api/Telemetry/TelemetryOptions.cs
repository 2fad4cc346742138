namespace Integrations.Api.Telemetry;

/// <summary>
/// Where the hub's traces, metrics and logs go besides Azure Monitor. Bound from <c>Telemetry</c>. Azure Monitor itself is on
/// when <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> is set (the app setting Azure creates with Application Insights).
/// </summary>
public sealed class TelemetryOptions
{
    public const string SectionName = "Telemetry";

    /// <summary>The setting that turns Azure Monitor on: its connection string.</summary>
    public const string ApplicationInsightsSetting = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    /// <summary>The service name every span, metric and log record carries (Application Insights' cloud role name).</summary>
    public const string ServiceName = "integrations-hub";

    /// <summary>Writes spans, metrics (every 10 s) and log records to standard output: for a developer watching a local run. Off by default.</summary>
    public bool Console { get; set; }
}
