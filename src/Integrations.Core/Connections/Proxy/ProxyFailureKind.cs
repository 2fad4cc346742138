namespace Integrations.Core.Connections.Proxy;

/// <summary>Why a proxied request got no upstream response at all.</summary>
public enum ProxyFailureKind
{
    /// <summary>The SSRF guard refused the target (it is, or resolves to, a private, loopback or otherwise special address). Nothing was sent.</summary>
    TargetRefused,

    /// <summary>The connection's circuit is open after repeated failures. Nothing was sent.</summary>
    CircuitOpen,

    /// <summary>No response headers within the connection's timeout, on every attempt.</summary>
    Timeout,

    /// <summary>The connection could not be made or broke (refused, reset, name not found), on every attempt.</summary>
    Network,
}
