namespace Integrations.Client.Connections;

/// <summary>A connection's configuration and status (never a credential: <see cref="SecretRefs"/> are names of vault secrets).</summary>
public sealed record Connection(
    string Id, string Name, string Type, string? ProviderId, string? Description, string? BaseUrl, bool Enabled, IReadOnlyDictionary<string, string> SecretRefs,
    IReadOnlyList<string> Scopes, string Status, string? StatusReason, string CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>A connection to create: <see cref="Type"/> is <c>bearer</c>, <c>api_key</c>, <c>basic</c>, <c>oauth2_authorization_code</c>, <c>oauth2_client_credentials</c> ….</summary>
public sealed record NewConnection(string Name, string Type)
{
    public string? ProviderId { get; init; }

    public string? Description { get; init; }

    public string? BaseUrl { get; init; }

    /// <summary>Role → name of a vault secret (e.g. <c>token</c> → <c>gh-token</c>).</summary>
    public IReadOnlyDictionary<string, string>? SecretRefs { get; init; }

    public IReadOnlyList<string>? Scopes { get; init; }
}

/// <summary>A connection's status: whether it is usable, and its token timing (never a token).</summary>
public sealed record ConnectionStatus(
    string Id, string Status, string? StatusReason, bool Enabled, IReadOnlyList<string> GrantedScopes, DateTimeOffset? ExpiresAt,
    DateTimeOffset? LastRefreshedAt, string? LastError);

/// <summary>An access token of a connection. <see cref="ToString"/> never shows <see cref="AccessToken"/>.</summary>
public sealed record ConnectionAccessToken(string AccessToken, string TokenType, DateTimeOffset? ExpiresAt, string Scope)
{
    public override string ToString() => $"ConnectionAccessToken {{ TokenType = {TokenType}, ExpiresAt = {ExpiresAt:O}, Scope = {Scope} }}";
}

/// <summary>Where to send the user's browser to connect an <c>oauth2_authorization_code</c> connection. <see cref="ToString"/> shows neither URL (both are single-use bearer values).</summary>
public sealed record AuthorizationStart(Uri AuthorizationUrl, Uri StartUrl, DateTimeOffset ExpiresAt)
{
    public override string ToString() => $"AuthorizationStart {{ ExpiresAt = {ExpiresAt:O} }}";
}
