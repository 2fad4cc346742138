using Integrations.Core.Common;
using Integrations.Core.Connections;

namespace Integrations.Core.OAuth.Tokens;

/// <summary>
/// The provider a connection names, with its effective endpoints (discovered and/or set by hand) and the hub's client
/// credentials there, its secret or private key unsealed for one request.
/// </summary>
/// <remarks>A seam: at the merge of issue 8 this is implemented over the providers capability's service.</remarks>
public interface ITokenClientResolver
{
    /// <summary>The client, or why it cannot be used (no such provider, discovery failed, its client secret is missing …).</summary>
    Task<Result<TokenClient>> ResolveAsync(Connection connection, CancellationToken cancellationToken = default);
}
