using Integrations.Core.Events;

namespace Integrations.Core.Connections;

/// <summary>
/// The connection status state machine, as one table: every allowed move and the event it writes. Anything not in the
/// table is refused (<see cref="ConnectionErrors.InvalidStatusTransition"/>). Moving to the status a connection is
/// already in is not a transition (no event); <see cref="ConnectionStateChanges"/> treats it as an update of its details.
/// </summary>
public static class ConnectionStatusMachine
{
    private static readonly (ConnectionStatus From, ConnectionStatus To, string Event)[] Table =
    [
        // pending: created, no credential yet.
        (ConnectionStatus.Pending, ConnectionStatus.Active, HubEventTypes.ConnectionConnected),
        (ConnectionStatus.Pending, ConnectionStatus.ScopesInsufficient, HubEventTypes.ConnectionScopesInsufficient),
        (ConnectionStatus.Pending, ConnectionStatus.ClientSecretExpired, HubEventTypes.ConnectionClientSecretExpired),
        (ConnectionStatus.Pending, ConnectionStatus.Disabled, HubEventTypes.ConnectionDisabled),

        // active: a usable credential.
        (ConnectionStatus.Active, ConnectionStatus.RefreshFailing, HubEventTypes.ConnectionRefreshFailed),
        (ConnectionStatus.Active, ConnectionStatus.NeedsReauth, HubEventTypes.ConnectionNeedsReauth),
        (ConnectionStatus.Active, ConnectionStatus.Revoked, HubEventTypes.ConnectionRevoked),
        (ConnectionStatus.Active, ConnectionStatus.Disabled, HubEventTypes.ConnectionDisabled),
        (ConnectionStatus.Active, ConnectionStatus.ClientSecretExpired, HubEventTypes.ConnectionClientSecretExpired),
        (ConnectionStatus.Active, ConnectionStatus.ScopesInsufficient, HubEventTypes.ConnectionScopesInsufficient),

        // refresh_failing: transient refresh failures; a later success returns it to active.
        (ConnectionStatus.RefreshFailing, ConnectionStatus.Active, HubEventTypes.ConnectionRefreshRecovered),
        (ConnectionStatus.RefreshFailing, ConnectionStatus.NeedsReauth, HubEventTypes.ConnectionNeedsReauth),
        (ConnectionStatus.RefreshFailing, ConnectionStatus.Revoked, HubEventTypes.ConnectionRevoked),
        (ConnectionStatus.RefreshFailing, ConnectionStatus.Disabled, HubEventTypes.ConnectionDisabled),
        (ConnectionStatus.RefreshFailing, ConnectionStatus.ClientSecretExpired, HubEventTypes.ConnectionClientSecretExpired),

        // needs_reauth: a user must connect again (reconnect → active).
        (ConnectionStatus.NeedsReauth, ConnectionStatus.Active, HubEventTypes.ConnectionConnected),
        (ConnectionStatus.NeedsReauth, ConnectionStatus.ScopesInsufficient, HubEventTypes.ConnectionScopesInsufficient),
        (ConnectionStatus.NeedsReauth, ConnectionStatus.Revoked, HubEventTypes.ConnectionRevoked),
        (ConnectionStatus.NeedsReauth, ConnectionStatus.Disabled, HubEventTypes.ConnectionDisabled),
        (ConnectionStatus.NeedsReauth, ConnectionStatus.ClientSecretExpired, HubEventTypes.ConnectionClientSecretExpired),

        // revoked: tokens gone, configuration kept (reconnect → active).
        (ConnectionStatus.Revoked, ConnectionStatus.Active, HubEventTypes.ConnectionConnected),
        (ConnectionStatus.Revoked, ConnectionStatus.ScopesInsufficient, HubEventTypes.ConnectionScopesInsufficient),
        (ConnectionStatus.Revoked, ConnectionStatus.Disabled, HubEventTypes.ConnectionDisabled),

        // disabled: re-enable → active (it had a credential) or pending (it never had one); revoking keeps it disabled.
        (ConnectionStatus.Disabled, ConnectionStatus.Active, HubEventTypes.ConnectionEnabled),
        (ConnectionStatus.Disabled, ConnectionStatus.Pending, HubEventTypes.ConnectionEnabled),

        // client_secret_expired: a new client secret and a reconnect → active.
        (ConnectionStatus.ClientSecretExpired, ConnectionStatus.Active, HubEventTypes.ConnectionConnected),
        (ConnectionStatus.ClientSecretExpired, ConnectionStatus.NeedsReauth, HubEventTypes.ConnectionNeedsReauth),
        (ConnectionStatus.ClientSecretExpired, ConnectionStatus.Revoked, HubEventTypes.ConnectionRevoked),
        (ConnectionStatus.ClientSecretExpired, ConnectionStatus.Disabled, HubEventTypes.ConnectionDisabled),

        // scopes_insufficient: re-consent for the missing scopes → active.
        (ConnectionStatus.ScopesInsufficient, ConnectionStatus.Active, HubEventTypes.ConnectionConnected),
        (ConnectionStatus.ScopesInsufficient, ConnectionStatus.RefreshFailing, HubEventTypes.ConnectionRefreshFailed),
        (ConnectionStatus.ScopesInsufficient, ConnectionStatus.NeedsReauth, HubEventTypes.ConnectionNeedsReauth),
        (ConnectionStatus.ScopesInsufficient, ConnectionStatus.Revoked, HubEventTypes.ConnectionRevoked),
        (ConnectionStatus.ScopesInsufficient, ConnectionStatus.Disabled, HubEventTypes.ConnectionDisabled),
        (ConnectionStatus.ScopesInsufficient, ConnectionStatus.ClientSecretExpired, HubEventTypes.ConnectionClientSecretExpired),
    ];

    private static readonly Dictionary<(ConnectionStatus, ConnectionStatus), string> Events = Table.ToDictionary(t => (t.From, t.To), t => t.Event);

    /// <summary>Every allowed transition with its event type.</summary>
    public static IReadOnlyList<(ConnectionStatus From, ConnectionStatus To, string Event)> Transitions => Table;

    public static bool CanMove(ConnectionStatus from, ConnectionStatus to) => Events.ContainsKey((from, to));

    /// <summary>The event a transition writes, or null when the transition is not allowed.</summary>
    public static string? EventFor(ConnectionStatus from, ConnectionStatus to) => Events.GetValueOrDefault((from, to));
}
