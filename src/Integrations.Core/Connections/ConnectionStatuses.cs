namespace Integrations.Core.Connections;

/// <summary>The wire names of <see cref="ConnectionStatus"/>.</summary>
public static class ConnectionStatuses
{
    public static string NameOf(ConnectionStatus status) => status switch
    {
        ConnectionStatus.Pending => "pending",
        ConnectionStatus.Active => "active",
        ConnectionStatus.RefreshFailing => "refresh_failing",
        ConnectionStatus.NeedsReauth => "needs_reauth",
        ConnectionStatus.Revoked => "revoked",
        ConnectionStatus.Disabled => "disabled",
        ConnectionStatus.ClientSecretExpired => "client_secret_expired",
        ConnectionStatus.ScopesInsufficient => "scopes_insufficient",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };
}
