namespace Integrations.Core.Connections.Proxy;

/// <summary>A proxied request that got no upstream response.</summary>
/// <param name="Kind">The failure class (the endpoint maps it to 502, 503 or 504).</param>
/// <param name="Reason">A sentence for problem details and logs: names the upstream by scheme, host and port only.</param>
/// <param name="RetryAfter">For an open circuit, how long until it lets a trial call through.</param>
public sealed record ProxyFailure(ProxyFailureKind Kind, string Reason, TimeSpan? RetryAfter);
