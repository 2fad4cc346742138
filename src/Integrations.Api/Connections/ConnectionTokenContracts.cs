using Integrations.Core.Connections;

namespace Integrations.Api.Connections;

/// <summary>Body of <c>POST …/connections/{id}/token</c> (optional): <c>force_refresh</c> asks for a new token even if the stored one is fresh.</summary>
public sealed record ConnectionTokenRequest(bool? ForceRefresh);

/// <summary>
/// A connection's access token, the only response of the hub that carries one (like a secret reveal). <see cref="ToString"/>
/// never shows <see cref="AccessToken"/>. <see cref="Scope"/> is space-separated, as in an OAuth token response.
/// </summary>
public sealed record ConnectionTokenResponse(string AccessToken, string TokenType, DateTimeOffset? ExpiresAt, string Scope)
{
    public override string ToString() => $"ConnectionTokenResponse {{ TokenType = {TokenType}, ExpiresAt = {ExpiresAt}, Scope = {Scope} }}";
}

/// <summary>
/// A connection whose tokens were revoked: what the provider said (<see cref="Revocation"/>: <c>succeeded</c> when it confirmed,
/// <c>unsupported</c>, <c>failed</c>, <c>not_applicable</c>), and the status the connection is in now (<c>revoked</c>).
/// The configuration stays: connect it again with authorize, device or grant.
/// </summary>
public sealed record RevokedConnectionResponse(string Id, string Name, TokenRevocation Revocation, bool ProviderConfirmed, string Detail, string Status);

/// <summary>
/// The outcome for one connection of an end user: <c>revoked</c> (with <see cref="Revocation"/>), <c>already_revoked</c>,
/// <c>not_oauth</c> (a static credential: nothing to revoke), <c>error</c> (retry), or <c>not_attempted</c> (beyond this
/// request's bound: call again).
/// </summary>
public sealed record EndUserConnectionOutcome(string Id, string Name, string Outcome, TokenRevocation? Revocation, bool ProviderConfirmed, string? Detail);

/// <summary>
/// What <c>POST …/connections/revoke?end_user_id=</c> did. <see cref="Complete"/> is false when the end user has more
/// connections to revoke than one request handles; calling again revokes the next ones (revoked ones are skipped).
/// </summary>
public sealed record EndUserRevocationResponse(string EndUserId, int Revoked, bool Complete, IReadOnlyList<EndUserConnectionOutcome> Connections);
