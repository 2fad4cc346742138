namespace Integrations.Core.Connections;

/// <summary>
/// What changes as a connection is used: status and why, the token's timing, the connected account and the last
/// error. Never a token: tokens are vault secrets. Stored apart from the configuration with its own ETag.
/// </summary>
public sealed record ConnectionState
{
    public static ConnectionState New { get; } = new();

    public ConnectionStatus Status { get; init; } = ConnectionStatus.Pending;

    /// <summary>Why it is in its status, for a person (e.g. "the provider answered invalid_grant").</summary>
    public string? StatusReason { get; init; }

    /// <summary>Who connected it (the caller that completed the grant).</summary>
    public string? AuthorizedBy { get; init; }

    public ConnectedAccount? Account { get; init; }

    /// <summary>The scopes the provider actually granted.</summary>
    public IReadOnlyList<string> GrantedScopes { get; init; } = [];

    /// <summary>When the current access token expires.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    public DateTimeOffset? LastRefreshedAt { get; init; }

    /// <summary>When the refresh-ahead job should refresh it (expiry minus the provider's skew).</summary>
    public DateTimeOffset? NextRefreshAt { get; init; }

    public DateTimeOffset? LastUsedAt { get; init; }

    public DateTimeOffset? LastTestedAt { get; init; }

    /// <summary>Whether the last test (<c>POST …/test</c> or the daily health check) succeeded; null before the first.</summary>
    public bool? LastTestSucceeded { get; init; }

    /// <summary>The last failure, described without any credential.</summary>
    public string? LastError { get; init; }

    /// <summary>
    /// When the proxy first saw the upstream's <c>Deprecation</c> or <c>Sunset</c> header: the durable "already told"
    /// flag, so <c>connection.api_deprecated</c> is written once per connection, whichever instance sees it.
    /// </summary>
    public DateTimeOffset? ApiDeprecationSeenAt { get; init; }

    public string? ETag { get; init; }
}
