namespace Integrations.Core.Connections;

/// <summary>
/// Whether a connection's outbound circuit (keyed by connection id, as token requests and the proxy key it) is open in
/// this process. Jobs skip connections whose circuit is open rather than add to a failing provider's load.
/// </summary>
public interface ICircuitStates
{
    bool IsOpen(string circuitKey);
}

/// <summary>The stand-in for hosts without outbound HTTP: no circuit is ever open.</summary>
public sealed class NoCircuitStates : ICircuitStates
{
    public bool IsOpen(string circuitKey) => false;
}
