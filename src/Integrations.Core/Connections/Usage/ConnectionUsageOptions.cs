using System.ComponentModel.DataAnnotations;

namespace Integrations.Core.Connections.Usage;

/// <summary>How the proxy and test endpoints account for a connection's use (section <c>Connections</c>).</summary>
public sealed class ConnectionUsageOptions
{
    public const string SectionName = "Connections";

    /// <summary>401/403 answers through the proxy, per connection, within <see cref="AuthErrorAlertWindow"/> that raise <c>connection.auth_errors_spike</c>. Default 20.</summary>
    [Range(1, 1_000_000)]
    public int AuthErrorAlertThreshold { get; set; } = 20;

    /// <summary>The window the threshold counts in (fixed windows; one alert per window at most). Default 5 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan AuthErrorAlertWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>5xx answers through the proxy, per connection, within <see cref="ServerErrorAlertWindow"/> that raise <c>connection.server_errors_spike</c>. Default 20.</summary>
    [Range(1, 1_000_000)]
    public int ServerErrorAlertThreshold { get; set; } = 20;

    /// <summary>The window <see cref="ServerErrorAlertThreshold"/> counts in (fixed windows; one alert per window at most). Default 5 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan ServerErrorAlertWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary><c>POST …/test</c> calls per connection in any 60 seconds (all callers, all instances). Default 10.</summary>
    [Range(1, 1_000)]
    public int TestsPerMinute { get; set; } = 10;

    /// <summary>At most one <c>last_used_at</c> write per connection per instance in this interval. Default 1 minute.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan LastUsedWriteInterval { get; set; } = TimeSpan.FromMinutes(1);
}
