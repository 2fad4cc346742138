namespace Integrations.Core.Connections;

/// <summary>
/// Where a connection is in its life. <c>pending → active → refresh_failing → needs_reauth | revoked | disabled |
/// client_secret_expired | scopes_insufficient</c>; every change is audited and written to the project's event outbox.
/// Wire names are snake_case (<see cref="ConnectionStatuses"/>).
/// </summary>
public enum ConnectionStatus
{
    /// <summary>Created; no credential obtained yet (an OAuth connection before its first grant).</summary>
    Pending,

    /// <summary>Has a usable credential.</summary>
    Active,

    /// <summary>Refreshes fail transiently (5xx, 429, network); the current token may still work until it expires.</summary>
    RefreshFailing,

    /// <summary>The provider refused the grant (<c>invalid_grant</c>, consent withdrawn): a user must connect again.</summary>
    NeedsReauth,

    /// <summary>Its tokens were revoked by the hub; the configuration is kept so it can be connected again.</summary>
    Revoked,

    /// <summary>Turned off by a user; nothing is sent and nothing refreshed.</summary>
    Disabled,

    /// <summary>The provider's client secret passed its <c>client_secret_expires_at</c>.</summary>
    ClientSecretExpired,

    /// <summary>The provider granted fewer scopes than the connection asks for.</summary>
    ScopesInsufficient,
}
