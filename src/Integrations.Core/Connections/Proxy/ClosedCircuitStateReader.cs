namespace Integrations.Core.Connections.Proxy;

/// <summary>The stand-in for hosts without outbound HTTP (the CLI, storage tests): every circuit reads closed.</summary>
public sealed class ClosedCircuitStateReader : ICircuitStateReader
{
    public CircuitSnapshot Read(string circuitKey) => CircuitSnapshot.Closed;
}
