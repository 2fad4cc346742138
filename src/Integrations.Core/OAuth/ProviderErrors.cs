namespace Integrations.Core.OAuth;

/// <summary>Error codes of the provider capability. Each is a problem <c>type</c> with an entry in docs/problems.md.</summary>
public static class ProviderErrors
{
    public const string ProviderExists = "provider-exists";
    public const string InvalidClientId = "invalid-client-id";
    public const string InvalidEndpoint = "invalid-endpoint";
    public const string InsecureEndpoint = "insecure-endpoint";
    public const string MissingEndpoints = "missing-endpoints";
    public const string ProtectedParameter = "protected-parameter";
    public const string InvalidProviderSetting = "invalid-provider-setting";
    public const string UnknownTemplate = "unknown-template";
    public const string InvalidTemplateParameter = "invalid-template-parameter";
    public const string TemplateFixedField = "template-fixed-field";
    public const string ClientSecretConflict = "client-secret-conflict";
    public const string ClientSecretRequired = "client-secret-required";
    public const string ClientSecretNotFound = "client-secret-not-found";
    public const string DiscoveryFailed = "discovery-failed";
    public const string ProviderInUse = "provider-in-use";
    public const string ProviderContention = "provider-contention";
}
