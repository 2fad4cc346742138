namespace Integrations.Core.OAuth;

/// <summary>
/// An OAuth 2.0 authorization server a project's connections use: its endpoints (discovered from
/// <see cref="Issuer"/> or set by hand), the hub's client registration there, and how to talk to it. The client
/// secret and private key are vault secrets named here, never values.
/// </summary>
public sealed record OAuthProvider
{
    public required string Id { get; init; }

    public required string OrganizationId { get; init; }

    public required string ProjectId { get; init; }

    /// <summary>Unique per project.</summary>
    public required string Name { get; init; }

    /// <summary>The catalog template it was made from (e.g. <c>google</c>), if any.</summary>
    public string? TemplateId { get; init; }

    /// <summary>When set, endpoints come from this issuer's discovery document (cached) and hand-set ones override them.</summary>
    public Uri? Issuer { get; init; }

    /// <summary>Endpoints set by hand (or by the template); null when every endpoint is discovered.</summary>
    public ProviderEndpoints? Endpoints { get; init; }

    public required string ClientId { get; init; }

    /// <summary>The vault secret (in the same project) that holds the client secret; null for public clients and private_key_jwt.</summary>
    public string? ClientSecretRef { get; init; }

    /// <summary>The vault secret holding the PEM private key for <see cref="ClientAuthenticationMethod.PrivateKeyJwt"/>.</summary>
    public string? PrivateKeyRef { get; init; }

    public ClientAuthenticationMethod ClientAuthentication { get; init; } = ClientAuthenticationMethod.ClientSecretBasic;

    public IReadOnlyList<string> DefaultScopes { get; init; } = [];

    /// <summary>How scopes are joined in requests (a space by RFC 6749 §3.3; some providers want a comma).</summary>
    public string ScopeSeparator { get; init; } = " ";

    /// <summary>PKCE with S256 (RFC 7636). On by default; a template may require it.</summary>
    public bool UsePkce { get; init; } = true;

    /// <summary>Refresh when the access token expires within this long. Default 5 minutes.</summary>
    public TimeSpan RefreshSkew { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Added to every authorization request (e.g. Google's <c>access_type=offline</c>).</summary>
    public IReadOnlyDictionary<string, string> ExtraAuthorizationParameters { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Added to every token request (e.g. Atlassian's <c>audience</c>).</summary>
    public IReadOnlyDictionary<string, string> ExtraTokenParameters { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>When the provider said the client secret expires; warnings 30, 7 and 1 days before, status <c>client_secret_expired</c> after.</summary>
    public DateTimeOffset? ClientSecretExpiresAt { get; init; }

    /// <summary>Lifetime assumed for a token response without <c>expires_in</c>; null: the hub's default.</summary>
    public TimeSpan? DefaultTokenLifetime { get; init; }

    /// <summary>How its token responses depart from RFC 6749 (from the template, or set by hand).</summary>
    public ProviderQuirks Quirks { get; init; } = new();

    /// <summary>The template's placeholder values (e.g. Entra's <c>tenant</c>), kept so the provider can be described again.</summary>
    public IReadOnlyDictionary<string, string> TemplateParameters { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    public required string CreatedBy { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>The store's concurrency token; every update is conditional on it.</summary>
    public string? ETag { get; init; }
}
