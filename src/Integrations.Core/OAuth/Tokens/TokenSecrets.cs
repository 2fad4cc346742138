using Integrations.Core.Connections;
using Integrations.Core.Vault;

namespace Integrations.Core.OAuth.Tokens;

/// <summary>
/// Where a connection's tokens live: one vault secret per OAuth connection, in the connection's project, named
/// <c>connection.{connectionId}.oauth</c> (a valid secret name: connection ids are <c>con_</c> + base32), auth type
/// <c>oauth_token</c>, value a <see cref="TokenSet"/>. Every refresh is a new version written with a compare-and-swap
/// on the version it replaced.
/// </summary>
public static class TokenSecrets
{
    /// <summary>Every token secret's name starts with this; the name is reserved for the hub's own use.</summary>
    public const string NamePrefix = SecretRules.HubManagedPrefix;

    public const string NameSuffix = ".oauth";

    public const string Description = "OAuth tokens of a connection (managed by the hub: refreshed, rotated and revoked automatically).";

    public static string NameFor(string connectionId) => NamePrefix + connectionId + NameSuffix;

    public static SecretLocation LocationOf(Connection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return new SecretLocation(connection.OrganizationId, connection.ProjectId, NameFor(connection.Id));
    }
}
