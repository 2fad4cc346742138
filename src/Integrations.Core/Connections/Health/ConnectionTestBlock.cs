namespace Integrations.Core.Connections.Health;

/// <summary>Why a connection must not send anything (the proxy and the test refuse it with 409; the health check skips it).</summary>
public enum ConnectionTestBlock
{
    None,
    Disabled,
    NeedsReauth,
    Revoked,
    NoBaseUrl,
}
