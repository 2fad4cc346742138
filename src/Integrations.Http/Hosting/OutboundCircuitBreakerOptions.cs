namespace Integrations.Http.Hosting;

/// <summary>
/// The circuit breaker kept per target (a connection, an endpoint): when at least <see cref="FailureRatio"/> of the
/// attempts to one target within <see cref="SamplingDuration"/> (and at least <see cref="MinimumThroughput"/> of them)
/// fail with NETWORK_ERROR, TIMEOUT_ERROR or SERVER_ERROR, calls to that target fail at once with CIRCUIT_OPEN for
/// <see cref="BreakDuration"/>, then one trial call decides. Other targets are not affected.
/// </summary>
public sealed class OutboundCircuitBreakerOptions
{
    /// <summary>Share of failed attempts that opens the circuit, in (0, 1]. Default 0.5.</summary>
    public double FailureRatio { get; set; } = 0.5;

    /// <summary>Attempts within the sampling window before the ratio counts (at least 2). Default 10.</summary>
    public int MinimumThroughput { get; set; } = 10;

    /// <summary>The window the ratio is measured over (at least 0.5 s). Default 30 s.</summary>
    public TimeSpan SamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an open circuit refuses calls (at least 0.5 s). Default 30 s.</summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(30);
}
