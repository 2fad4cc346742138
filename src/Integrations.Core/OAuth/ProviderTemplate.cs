using System.Text.RegularExpressions;

namespace Integrations.Core.OAuth;

/// <summary>
/// A placeholder in a template's endpoint URLs (<c>{tenant}</c>), filled on create. <see cref="Pattern"/> keeps the
/// value to one host label or path segment, so a placeholder can never point an endpoint at another host.
/// </summary>
public sealed record TemplateParameter(string Name, string Description, Regex Pattern, string? Default = null);

/// <summary>
/// A provider of the built-in catalog: everything but the client registration. Endpoint URLs may hold
/// <c>{placeholder}</c>s named in <see cref="Parameters"/>. <see cref="Documentation"/> is the provider's own doc page
/// the values come from.
/// </summary>
public sealed record ProviderTemplate
{
    public required string Id { get; init; }

    public required string DisplayName { get; init; }

    public required Uri Documentation { get; init; }

    public required string AuthorizationEndpoint { get; init; }

    public required string TokenEndpoint { get; init; }

    public string? RevocationEndpoint { get; init; }

    public string? DeviceAuthorizationEndpoint { get; init; }

    public string? UserInfoEndpoint { get; init; }

    public string? JwksUri { get; init; }

    /// <summary>The issuer identifier for OpenID Connect providers (<c>iss</c> of id tokens).</summary>
    public string? Issuer { get; init; }

    public string ScopeSeparator { get; init; } = " ";

    public bool UsePkce { get; init; } = true;

    /// <summary>The provider refuses authorization requests without PKCE: <c>use_pkce</c> cannot be turned off.</summary>
    public bool PkceRequired { get; init; }

    public IReadOnlyList<string> DefaultScopes { get; init; } = [];

    public ClientAuthenticationMethod ClientAuthentication { get; init; } = ClientAuthenticationMethod.ClientSecretPost;

    public IReadOnlyDictionary<string, string> ExtraAuthorizationParameters { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, string> ExtraTokenParameters { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    public ProviderQuirks Quirks { get; init; } = new();

    public IReadOnlyList<TemplateParameter> Parameters { get; init; } = [];

    /// <summary>Things a user must know that the data cannot say (e.g. Entra's per-tenant issuer).</summary>
    public string? Notes { get; init; }
}
