namespace Integrations.Core.OAuth;

/// <summary>Endpoints as the caller wrote them (strings, checked by <see cref="ProviderRules"/>).</summary>
public sealed record EndpointsInput(
    string? Authorization = null, string? Token = null, string? Revocation = null, string? DeviceAuthorization = null, string? UserInfo = null, string? JwksUri = null);

/// <summary>
/// What a caller asks a provider to be (create) or to change to (patch: a null member is left as it is). Exactly one
/// of a template, an issuer or endpoints on create; <see cref="ClientSecret"/> is a value the vault seals,
/// <see cref="ClientSecretRef"/> names an existing secret. <see cref="ToString"/> never prints the secret.
/// </summary>
public sealed record ProviderInput
{
    public string? Name { get; init; }

    public string? TemplateId { get; init; }

    public IReadOnlyDictionary<string, string>? TemplateParameters { get; init; }

    public string? Issuer { get; init; }

    public EndpointsInput? Endpoints { get; init; }

    public string? ClientId { get; init; }

    public string? ClientSecret { get; init; }

    public string? ClientSecretRef { get; init; }

    public string? PrivateKeyRef { get; init; }

    /// <summary><c>client_secret_basic</c>, <c>client_secret_post</c>, <c>private_key_jwt</c> or <c>none</c>.</summary>
    public string? ClientAuthentication { get; init; }

    public IReadOnlyList<string>? DefaultScopes { get; init; }

    public string? ScopeSeparator { get; init; }

    public bool? UsePkce { get; init; }

    public int? RefreshSkewSeconds { get; init; }

    public IReadOnlyDictionary<string, string>? ExtraAuthorizationParameters { get; init; }

    public IReadOnlyDictionary<string, string>? ExtraTokenParameters { get; init; }

    public DateTimeOffset? ClientSecretExpiresAt { get; init; }

    public int? DefaultTokenLifetimeSeconds { get; init; }

    public override string ToString() => $"ProviderInput {{ Name = {Name}, TemplateId = {TemplateId}, ClientId = {ClientId}, ClientSecret = {(ClientSecret is null ? "null" : "***")} }}";
}
