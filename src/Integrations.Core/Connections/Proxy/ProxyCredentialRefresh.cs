namespace Integrations.Core.Connections.Proxy;

/// <summary>
/// Called by the transport at most once per request, when the upstream answers 401: returns the credential headers to
/// retry with (after a forced token refresh), or null to return the 401 as it is (nothing to refresh).
/// </summary>
public delegate ValueTask<IReadOnlyList<KeyValuePair<string, string>>?> ProxyCredentialRefresh(CancellationToken cancellationToken);
