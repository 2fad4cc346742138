using Integrations.Core.Connections.Proxy;
using Integrations.Http.Resilience;
using Polly.CircuitBreaker;

namespace Integrations.Http.Proxy;

/// <summary>Reads a connection's breaker from the pipelines the proxy transport uses (this process's breakers).</summary>
internal sealed class CircuitStateReader(OutboundPipelines pipelines) : ICircuitStateReader
{
    public CircuitSnapshot Read(string circuitKey)
    {
        ArgumentNullException.ThrowIfNull(circuitKey);
        var (state, openUntil) = pipelines.CircuitOf(circuitKey);
        return state switch
        {
            CircuitState.Open or CircuitState.Isolated => new CircuitSnapshot(CircuitPosition.Open, openUntil),
            CircuitState.HalfOpen => new CircuitSnapshot(CircuitPosition.HalfOpen, null),
            _ => CircuitSnapshot.Closed,
        };
    }
}
