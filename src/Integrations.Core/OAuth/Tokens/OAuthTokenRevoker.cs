using Integrations.Core.Connections;

namespace Integrations.Core.OAuth.Tokens;

/// <summary>A connection's deletion revokes its OAuth tokens (RFC 7009) through the token service, which also forgets them.</summary>
public sealed class OAuthTokenRevoker(IConnectionTokenService tokens) : IConnectionTokenRevoker
{
    public async Task<TokenRevocation> RevokeAsync(Connection connection, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (!ConnectionTypes.IsOAuth(connection.Type))
        {
            return TokenRevocation.NotApplicable;
        }

        return (await tokens.RevokeAsync(connection, ConnectionTokenService.Actor, cancellationToken).ConfigureAwait(false)).Result;
    }
}
