using Integrations.Core.OAuth;

namespace Integrations.Api.Providers;

// Request bodies: every field is nullable, so a missing field is reported by validation, not by the parser.

public sealed record EndpointsBody(
    string? Authorization = null, string? Token = null, string? Revocation = null, string? DeviceAuthorization = null, string? Userinfo = null, string? JwksUri = null);

/// <summary>
/// POST (create) and PATCH (a member left out or null is unchanged). <see cref="ClientSecret"/> is a value the vault
/// seals; it is never returned and <see cref="ToString"/> never prints it.
/// </summary>
public sealed record ProviderRequest(
    string? Name = null, string? Template = null, Dictionary<string, string>? TemplateParameters = null, string? Issuer = null, EndpointsBody? Endpoints = null,
    string? ClientId = null, string? ClientSecret = null, string? ClientSecretRef = null, string? PrivateKeyRef = null, string? ClientAuthentication = null,
    List<string>? DefaultScopes = null, string? ScopeSeparator = null, bool? UsePkce = null, int? RefreshSkewSeconds = null,
    Dictionary<string, string>? ExtraAuthorizationParameters = null, Dictionary<string, string>? ExtraTokenParameters = null,
    DateTimeOffset? ClientSecretExpiresAt = null, int? DefaultTokenLifetimeSeconds = null)
{
    public ProviderInput ToInput() => new()
    {
        Name = Name,
        TemplateId = Template,
        TemplateParameters = TemplateParameters,
        Issuer = Issuer,
        Endpoints = Endpoints is { } e ? new EndpointsInput(e.Authorization, e.Token, e.Revocation, e.DeviceAuthorization, e.Userinfo, e.JwksUri) : null,
        ClientId = ClientId,
        ClientSecret = ClientSecret,
        ClientSecretRef = ClientSecretRef,
        PrivateKeyRef = PrivateKeyRef,
        ClientAuthentication = ClientAuthentication,
        DefaultScopes = DefaultScopes,
        ScopeSeparator = ScopeSeparator,
        UsePkce = UsePkce,
        RefreshSkewSeconds = RefreshSkewSeconds,
        ExtraAuthorizationParameters = ExtraAuthorizationParameters,
        ExtraTokenParameters = ExtraTokenParameters,
        ClientSecretExpiresAt = ClientSecretExpiresAt,
        DefaultTokenLifetimeSeconds = DefaultTokenLifetimeSeconds,
    };

    public override string ToString() => $"ProviderRequest {{ Name = {Name}, Template = {Template}, ClientId = {ClientId}, ClientSecret = {(ClientSecret is null ? "null" : "***")} }}";
}

// Responses: no field can carry a secret value — only the names of vault secrets.

public sealed record EndpointsResponse(
    string? Issuer, string? Authorization, string Token, string? Revocation, string? DeviceAuthorization, string? Userinfo, string? JwksUri,
    bool AuthorizationResponseIssParameterSupported)
{
    public static EndpointsResponse? From(Core.OAuth.ProviderEndpoints? e) => e is null
        ? null
        : new(e.Issuer?.AbsoluteUri, e.Authorization?.AbsoluteUri, e.Token.AbsoluteUri, e.Revocation?.AbsoluteUri, e.DeviceAuthorization?.AbsoluteUri,
            e.UserInfo?.AbsoluteUri, e.JwksUri?.AbsoluteUri, e.AuthorizationResponseIssParameterSupported);
}

public sealed record ProviderResponse(
    string Id, string Name, string? Template, IReadOnlyDictionary<string, string>? TemplateParameters, string? Issuer, EndpointsResponse? Endpoints,
    string ClientId, string? ClientSecretRef, string? PrivateKeyRef, string ClientAuthentication, IReadOnlyList<string> DefaultScopes, string ScopeSeparator,
    bool UsePkce, int RefreshSkewSeconds, IReadOnlyDictionary<string, string> ExtraAuthorizationParameters, IReadOnlyDictionary<string, string> ExtraTokenParameters,
    DateTimeOffset? ClientSecretExpiresAt, int? DefaultTokenLifetimeSeconds, ProviderQuirks Quirks, string CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static ProviderResponse From(OAuthProvider p) => new(
        p.Id, p.Name, p.TemplateId, p.TemplateParameters.Count == 0 ? null : p.TemplateParameters, p.Issuer?.AbsoluteUri, EndpointsResponse.From(p.Endpoints),
        p.ClientId, p.ClientSecretRef, p.PrivateKeyRef, ProviderRules.NameOf(p.ClientAuthentication), p.DefaultScopes, p.ScopeSeparator, p.UsePkce,
        (int)p.RefreshSkew.TotalSeconds, p.ExtraAuthorizationParameters, p.ExtraTokenParameters, p.ClientSecretExpiresAt,
        p.DefaultTokenLifetime is { } lifetime ? (int)lifetime.TotalSeconds : null, p.Quirks, p.CreatedBy, p.CreatedAt, p.UpdatedAt);
}

public sealed record TemplateParameterResponse(string Name, string Description, string Pattern, string? Default);

public sealed record ProviderTemplateResponse(
    string Id, string DisplayName, string Documentation, string? Issuer, string AuthorizationEndpoint, string TokenEndpoint, string? RevocationEndpoint,
    string? DeviceAuthorizationEndpoint, string? UserinfoEndpoint, string? JwksUri, string ScopeSeparator, bool UsePkce, bool PkceRequired,
    IReadOnlyList<string> DefaultScopes, string ClientAuthentication, IReadOnlyDictionary<string, string> ExtraAuthorizationParameters,
    IReadOnlyDictionary<string, string> ExtraTokenParameters, ProviderQuirks Quirks, IReadOnlyList<TemplateParameterResponse> Parameters, string? Notes)
{
    public static ProviderTemplateResponse From(ProviderTemplate t) => new(
        t.Id, t.DisplayName, t.Documentation.AbsoluteUri, t.Issuer, t.AuthorizationEndpoint, t.TokenEndpoint, t.RevocationEndpoint, t.DeviceAuthorizationEndpoint,
        t.UserInfoEndpoint, t.JwksUri, t.ScopeSeparator, t.UsePkce || t.PkceRequired, t.PkceRequired, t.DefaultScopes, ProviderRules.NameOf(t.ClientAuthentication),
        t.ExtraAuthorizationParameters, t.ExtraTokenParameters, t.Quirks,
        t.Parameters.Select(p => new TemplateParameterResponse(p.Name, p.Description, p.Pattern.ToString(), p.Default)).ToList(), t.Notes);
}
