namespace Integrations.Core.Connections.Proxy;

/// <summary>The position of a connection's circuit breaker.</summary>
public enum CircuitPosition
{
    /// <summary>Calls go through (also: no call has been made yet on this instance).</summary>
    Closed,

    /// <summary>Calls are refused without being sent until <see cref="CircuitSnapshot.OpenUntil"/>.</summary>
    Open,

    /// <summary>The break has passed; the next call is a trial.</summary>
    HalfOpen,
}

/// <summary>A connection's circuit as this instance's breaker sees it.</summary>
/// <param name="State">Closed, open or half open.</param>
/// <param name="OpenUntil">For an open circuit, when it lets a trial call through.</param>
public sealed record CircuitSnapshot(CircuitPosition State, DateTimeOffset? OpenUntil)
{
    public static CircuitSnapshot Closed { get; } = new(CircuitPosition.Closed, null);
}

/// <summary>
/// Reads the outbound circuit breaker of a target key (a connection's id) without sending anything. Implemented by
/// Integrations.Http, whose breakers live per process: the answer is this instance's view.
/// </summary>
public interface ICircuitStateReader
{
    CircuitSnapshot Read(string circuitKey);
}
