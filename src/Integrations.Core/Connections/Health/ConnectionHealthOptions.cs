using System.ComponentModel.DataAnnotations;

namespace Integrations.Core.Connections.Health;

/// <summary>The daily health check (section <c>Connections</c>; its schedule is <c>Connections:HealthCheckSchedule</c>).</summary>
public sealed class ConnectionHealthOptions
{
    public const string SectionName = "Connections";

    /// <summary>Connections tested at once. Default 4.</summary>
    [Range(1, 64, ErrorMessage = "Connections:HealthCheckConcurrency must be between 1 and 64.")]
    public int HealthCheckConcurrency { get; set; } = 4;

    /// <summary>
    /// The most one connection's check may take, retries and a token refresh included (its own timeout bounds each
    /// attempt); past it the check counts as failed. Default 1 minute.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00", ErrorMessage = "Connections:HealthCheckTimeout must be between 00:00:01 and 00:10:00.")]
    public TimeSpan HealthCheckTimeout { get; set; } = TimeSpan.FromMinutes(1);
}
