namespace Integrations.Core.Connections;

/// <summary>
/// A configured way to call one API for a project: how to authenticate (<see cref="Type"/>, the vault secrets in
/// <see cref="SecretRefs"/>, the OAuth provider), where (<see cref="BaseUrl"/>) and how the proxy sends
/// (<see cref="Timeout"/>, retries, <see cref="Policy"/>). What changes while it is used — status, token expiry,
/// timestamps — is <see cref="State"/>, written separately so a token refresh never races a user's edit.
/// </summary>
public sealed record Connection
{
    public const int DefaultRetries = 2;

    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(8);

    public required string Id { get; init; }

    public required string OrganizationId { get; init; }

    public required string ProjectId { get; init; }

    /// <summary>Unique per project.</summary>
    public required string Name { get; init; }

    public required ConnectionType Type { get; init; }

    /// <summary>The project's OAuth provider; set exactly when <see cref="ConnectionTypes.IsOAuth"/> is true for <see cref="Type"/>.</summary>
    public string? ProviderId { get; init; }

    public string? Description { get; init; }

    /// <summary>Where the proxy sends requests; the forwarded path always stays under its path.</summary>
    public Uri? BaseUrl { get; init; }

    /// <summary>Sent with every proxied request (never <c>Authorization</c> or a hop-by-hop header).</summary>
    public IReadOnlyDictionary<string, string> DefaultHeaders { get; init; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    public TimeSpan Timeout { get; init; } = DefaultTimeout;

    /// <summary>Retries after the first attempt (transient error classes only).</summary>
    public int Retries { get; init; } = DefaultRetries;

    /// <summary>A named retry strategy of Integrations.Http (<c>exponential_backoff</c>, <c>linear_1s</c> …); null: the default.</summary>
    public string? RetryStrategy { get; init; }

    public bool Enabled { get; init; } = true;

    /// <summary>
    /// Role → name of a vault secret in the same project (<c>api_key</c>, <c>token</c>, <c>username</c>,
    /// <c>password</c> …). Names only: responses never carry a value.
    /// </summary>
    public IReadOnlyDictionary<string, string> SecretRefs { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>For <see cref="ConnectionType.ApiKey"/>: header or query, and its name.</summary>
    public ApiKeyPlacement? ApiKey { get; init; }

    /// <summary>The scopes the connection asks for (OAuth types); empty: the provider's defaults.</summary>
    public IReadOnlyList<string> Scopes { get; init; } = [];

    /// <summary>The platform user it belongs to, if any.</summary>
    public EndUser? EndUser { get; init; }

    /// <summary>The proxy's allow/deny rules; empty: everything under the base URL is allowed.</summary>
    public IReadOnlyList<ProxyRule> Policy { get; init; } = [];

    /// <summary>The request <c>POST …/test</c> sends (method and path below the base URL).</summary>
    public string TestMethod { get; init; } = "GET";

    public string TestPath { get; init; } = "/";

    public required string CreatedBy { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }

    public ConnectionState State { get; init; } = ConnectionState.New;

    /// <summary>The configuration's concurrency token.</summary>
    public string? ETag { get; init; }
}
