namespace Integrations.Core.Connections.Proxy;

/// <summary>
/// Where a request through a connection goes and with what credential: the target (with a query credential when the
/// connection puts its key there), the credential headers, and for OAuth the one refresh after a 401.
/// </summary>
public sealed record OutboundCredential(Uri Target, IReadOnlyList<KeyValuePair<string, string>> Headers, ProxyCredentialRefresh? Refresh)
{
    public override string ToString() => "OutboundCredential { (redacted) }";
}
