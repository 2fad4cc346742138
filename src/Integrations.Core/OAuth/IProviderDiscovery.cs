using Integrations.Core.Common;

namespace Integrations.Core.OAuth;

/// <summary>
/// Reads an issuer's metadata: <c>{issuer}/.well-known/openid-configuration</c>, then
/// <c>{issuer}/.well-known/oauth-authorization-server</c> (RFC 8414 §3), through the outbound guard. The document's
/// <c>issuer</c> must equal the issuer asked for (RFC 8414 §3.3). No caching here: callers cache.
/// </summary>
public interface IProviderDiscovery
{
    /// <summary>The endpoints, or a <see cref="HubError"/> saying why discovery failed (unreachable, not a document, issuer mismatch).</summary>
    Task<Result<ProviderEndpoints>> DiscoverAsync(Uri issuer, CancellationToken cancellationToken = default);
}
