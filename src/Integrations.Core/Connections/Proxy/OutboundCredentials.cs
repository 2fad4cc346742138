using Integrations.Core.Common;
using Integrations.Core.OAuth.Tokens;

namespace Integrations.Core.Connections.Proxy;

/// <summary>The credential a request through a connection carries (the proxy, the test request, the health check).</summary>
public sealed class OutboundCredentials(CredentialResolver credentials, IConnectionTokenService tokens)
{
    /// <summary>The credential headers (or the target with a query credential) and, for OAuth, the one refresh after a 401.</summary>
    public async Task<Result<OutboundCredential>> ResolveAsync(Connection connection, Uri target, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(target);
        if (!ConnectionTypes.IsOAuth(connection.Type))
        {
            var resolved = await credentials.ResolveAsync(connection, cancellationToken).ConfigureAwait(false);
            if (!resolved.IsSuccess)
            {
                return resolved.Error;
            }

            var c = resolved.Value;
            // A static credential is what it is: a 401 is returned as it is (no refresh callback).
            return c.Target == CredentialTarget.Header
                ? new OutboundCredential(target, [KeyValuePair.Create(c.Name, c.Value)], null)
                : new OutboundCredential(WithQueryParameter(target, c.Name, c.Value), [], null);
        }

        var token = await tokens.GetAsync(connection, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!token.IsSuccess)
        {
            return token.Error;
        }

        var rejected = token.Value.Value;
        return new OutboundCredential(target, Authorization(token.Value), async ct =>
        {
            var refreshed = await tokens.RefreshAfterRejectionAsync(connection, rejected, ct).ConfigureAwait(false);
            return refreshed.IsSuccess ? Authorization(refreshed.Value) : null;
        });
    }

    private static IReadOnlyList<KeyValuePair<string, string>> Authorization(AccessToken token) =>
        [KeyValuePair.Create("Authorization", (string.Equals(token.TokenType, "bearer", StringComparison.OrdinalIgnoreCase) ? "Bearer" : token.TokenType) + " " + token.Value)];

    private static Uri WithQueryParameter(Uri target, string name, string value)
    {
        var builder = new UriBuilder(target);
        var parameter = Uri.EscapeDataString(name) + "=" + Uri.EscapeDataString(value);
        builder.Query = builder.Query.Length <= 1 ? parameter : builder.Query[1..] + "&" + parameter;
        return builder.Uri;
    }
}
