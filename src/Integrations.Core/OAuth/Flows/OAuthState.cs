using System.Globalization;
using Integrations.Core.Crypto;

namespace Integrations.Core.OAuth.Flows;

/// <summary>
/// A started authorization-code flow (RFC 6749 §4.1), stored durably until its callback consumes it or it expires. The
/// state value itself is never stored: the row is found by <see cref="StateHash"/>, the keyed lookup hash of the value, so a
/// reader of the table cannot present a state. The PKCE verifier and the authorization URL (which carries the state value in
/// its query) are sealed with the envelope cipher, bound to this row. Every field is covered by a row MAC
/// (<see cref="Integrity.AuthorityRows"/>), so a storage writer cannot re-point a state at another connection, redirect, or drop
/// its browser binding.
/// </summary>
public sealed record OAuthState
{
    /// <summary>The keyed lookup hash of the state value (lowercase hex HMAC-SHA256), the row's key.</summary>
    public required string StateHash { get; init; }

    public required string OrganizationId { get; init; }

    public required string ProjectId { get; init; }

    public required string ConnectionId { get; init; }

    public required string ProviderId { get; init; }

    /// <summary>The provider's issuer identifier when the flow started; the callback's <c>iss</c> must equal it (RFC 9207 §2.4).</summary>
    public string? Issuer { get; init; }

    /// <summary>The provider advertised <c>authorization_response_iss_parameter_supported</c>: a callback without <c>iss</c> is refused.</summary>
    public bool IssParameterRequired { get; init; }

    /// <summary>The caller (actor id) who started the flow.</summary>
    public required string ActorId { get; init; }

    public IReadOnlyList<string> Scopes { get; init; } = [];

    /// <summary>Where the browser goes after the callback; already checked against the project's allowed origins.</summary>
    public Uri? RedirectAfter { get; init; }

    /// <summary>The OpenID Connect nonce sent with the request; the id token must carry it. Not a credential.</summary>
    public required string Nonce { get; init; }

    /// <summary>The PKCE code_verifier (RFC 7636 §4.1), sealed; null when the provider does not use PKCE.</summary>
    public SealedSecret? SealedCodeVerifier { get; init; }

    /// <summary>The authorization URL the start link sends the browser to, sealed (it carries the state value).</summary>
    public required SealedSecret SealedAuthorizationUrl { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>The keyed lookup hash of the start link's token.</summary>
    public required string StartLinkHash { get; init; }

    /// <summary>When the start link stops working (well before <see cref="ExpiresAt"/>).</summary>
    public required DateTimeOffset StartLinkExpiresAt { get; init; }

    /// <summary>When the start link was opened (it works once); null while unused.</summary>
    public DateTimeOffset? StartLinkUsedAt { get; init; }

    /// <summary>SHA-256 (hex) of the binding cookie's value, set when the start link was opened; the callback must present it.</summary>
    public string? BindingHash { get; init; }

    /// <summary>
    /// The callback must come from a browser that opened the start link, even if it was never opened (the API caller promised
    /// not to hand out <c>authorization_url</c> itself).
    /// </summary>
    public bool RequireBrowserBinding { get; init; }

    /// <summary>When a callback consumed the state; null until then. A state is consumed once.</summary>
    public DateTimeOffset? ConsumedAt { get; init; }

    /// <summary>The store's concurrency token; every update is conditional on it.</summary>
    public string? ETag { get; init; }

    /// <summary>
    /// The short key that names this flow's binding cookie (the first 16 hex characters of <see cref="StateHash"/>), so flows
    /// started in one browser at the same time each keep their own cookie.
    /// </summary>
    public string BindingKey => StateHash[..16];

    /// <summary>Where the sealed verifier lives: bound to its organization, project and state row.</summary>
    public static SealContext VerifierContext(string organizationId, string projectId, string stateHash) =>
        new(organizationId, projectId, "oauthstate/" + stateHash + "/verifier", 1);

    /// <summary>Where the sealed authorization URL lives.</summary>
    public static SealContext AuthorizationUrlContext(string organizationId, string projectId, string stateHash) =>
        new(organizationId, projectId, "oauthstate/" + stateHash + "/url", 1);

    /// <summary>Ids and times only: no verifier, URL, nonce or binding.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture,
            $"OAuthState {{ Organization = {OrganizationId}, Project = {ProjectId}, Connection = {ConnectionId}, Provider = {ProviderId}, Actor = {ActorId}, ExpiresAt = {ExpiresAt:O}, Consumed = {ConsumedAt is not null} }}");
}
