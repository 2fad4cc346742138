using System.Text;
using Integrations.Core.Common;
using Integrations.Core.Vault;

namespace Integrations.Core.Connections;

/// <summary>
/// The credential of a static connection (<c>api_key</c>, <c>bearer</c>, <c>basic</c>), read from the vault secrets its
/// <see cref="Connection.SecretRefs"/> name, as what to inject into an outbound request. OAuth types get theirs from
/// the token lifecycle, not from here.
/// </summary>
public sealed class CredentialResolver(VaultService vault)
{
    /// <summary>
    /// What to inject. A secret deleted since the connection was configured, or a value that cannot travel in a
    /// header (control characters; a username with ':' for Basic, RFC 7617 §2) is refused with
    /// <see cref="ConnectionErrors.CredentialUnavailable"/>; the message names the role, never the value.
    /// </summary>
    /// <exception cref="ArgumentException">The connection is of an OAuth type.</exception>
    public async Task<Result<InjectedCredential>> ResolveAsync(Connection connection, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        switch (connection.Type)
        {
            case ConnectionType.ApiKey:
            {
                var key = await RevealAsync(connection, SecretRoles.ApiKey, cancellationToken).ConfigureAwait(false);
                if (!key.IsSuccess)
                {
                    return key.Error;
                }

                var placement = connection.ApiKey ?? ApiKeyPlacement.Default;
                return new InjectedCredential(placement.In == ApiKeyLocation.Query ? CredentialTarget.Query : CredentialTarget.Header, placement.Name, key.Value);
            }

            case ConnectionType.Bearer:
            {
                var token = await RevealAsync(connection, SecretRoles.Token, cancellationToken).ConfigureAwait(false);
                return token.IsSuccess ? new InjectedCredential(CredentialTarget.Header, "Authorization", "Bearer " + token.Value) : token.Error;
            }

            case ConnectionType.Basic:
            {
                var username = await RevealAsync(connection, SecretRoles.Username, cancellationToken).ConfigureAwait(false);
                if (!username.IsSuccess)
                {
                    return username.Error;
                }

                if (username.Value.Contains(':', StringComparison.Ordinal))
                {
                    return Unavailable(SecretRoles.Username, "contains ':', which Basic authentication cannot carry (RFC 7617 §2)");
                }

                var password = await RevealAsync(connection, SecretRoles.Password, cancellationToken).ConfigureAwait(false);
                if (!password.IsSuccess)
                {
                    return password.Error;
                }

                // RFC 7617 §2.1: UTF-8 when the server says charset="UTF-8", and what every server takes for ASCII.
                var encoded = Convert.ToBase64String(Encoding.UTF8.GetBytes(username.Value + ":" + password.Value));
                return new InjectedCredential(CredentialTarget.Header, "Authorization", "Basic " + encoded);
            }

            default:
                throw new ArgumentException($"A {ConnectionTypes.NameOf(connection.Type)} connection gets its token from the token lifecycle, not from static secrets.", nameof(connection));
        }
    }

    private async Task<Result<string>> RevealAsync(Connection connection, string role, CancellationToken cancellationToken)
    {
        if (!connection.SecretRefs.TryGetValue(role, out var secretName))
        {
            return Unavailable(role, "is not configured");
        }

        var revealed = await vault.RevealAsync(new SecretLocation(connection.OrganizationId, connection.ProjectId, secretName), null, cancellationToken).ConfigureAwait(false);
        if (!revealed.IsSuccess)
        {
            return Unavailable(role, "names a secret that no longer exists");
        }

        // A CR or LF in a header value would split the request; any control character is refused.
        return revealed.Value.Value.Length > 0 && !revealed.Value.Value.Any(char.IsControl)
            ? revealed.Value.Value
            : Unavailable(role, "holds a value that cannot be sent in a request (empty, or control characters)");
    }

    private static HubError Unavailable(string role, string what) =>
        HubError.Conflict(ConnectionErrors.CredentialUnavailable, $"The connection's secret_refs.{role} {what}: fix the secret or the connection.");
}
