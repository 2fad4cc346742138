namespace Integrations.Core.OAuth.Flows;

/// <summary>What <c>authorize</c> knows when it starts a flow: who, for which connection and provider, and where to go after.</summary>
public sealed record OAuthStateRequest
{
    public required string OrganizationId { get; init; }

    public required string ProjectId { get; init; }

    public required string ConnectionId { get; init; }

    public required string ProviderId { get; init; }

    /// <summary>The provider's issuer identifier (discovered or configured); null when it has none.</summary>
    public Uri? Issuer { get; init; }

    /// <summary>The provider advertises <c>authorization_response_iss_parameter_supported</c> (RFC 9207 §3).</summary>
    public bool IssParameterSupported { get; init; }

    /// <summary>The caller starting the flow (its actor id).</summary>
    public required string ActorId { get; init; }

    public IReadOnlyList<string> Scopes { get; init; } = [];

    /// <summary>Already checked with <see cref="RedirectAfterPolicy.Check"/>.</summary>
    public Uri? RedirectAfter { get; init; }

    /// <summary>PKCE S256 (RFC 7636); on unless the provider turns it off.</summary>
    public bool UsePkce { get; init; } = true;

    /// <summary>Refuse a callback unless it comes from the browser that opened the start link (see <see cref="OAuthState.RequireBrowserBinding"/>).</summary>
    public bool RequireBrowserBinding { get; init; }
}
