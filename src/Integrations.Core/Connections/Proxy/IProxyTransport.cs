namespace Integrations.Core.Connections.Proxy;

/// <summary>
/// Sends one proxied request upstream with the hub's outbound rules (SSRF guard, per-attempt timeout, named retry
/// strategy, a circuit per connection) and streams the response back. Implemented by Integrations.Http.
/// </summary>
public interface IProxyTransport
{
    /// <summary>
    /// Sends <paramref name="request"/>. Any upstream status comes back as a response (after the retries its class
    /// earns); a failure before any response (refused target, open circuit, timeout, network) comes back as
    /// <see cref="ProxyResponse.Failure"/>. Dispose the response when its body has been copied.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (the caller went away).</exception>
    Task<ProxyResponse> SendAsync(ProxyRequest request, CancellationToken cancellationToken = default);
}
