namespace Integrations.Core.Webhooks;

/// <summary>Error codes of webhook sources. Each is a problem <c>type</c> with an entry in docs/problems.md.</summary>
public static class WebhookErrors
{
    public const string SourceExists = "webhook-source-exists";
    public const string UnknownScheme = "unknown-webhook-scheme";
    public const string SchemeImmutable = "webhook-scheme-immutable";
    public const string InvalidDescription = "invalid-webhook-description";
    public const string InvalidSettings = "invalid-webhook-settings";
    public const string HmacSettingsRequired = "webhook-hmac-settings-required";
    public const string SecretRequired = "webhook-secret-required";
    public const string InvalidSecret = "invalid-webhook-secret";
    public const string SecretGenerationUnsupported = "webhook-secret-generation-unsupported";
    public const string InvalidExpiry = "invalid-webhook-secret-expiry";
    public const string SecretLimit = "webhook-secret-limit";
    public const string SecretExists = "webhook-secret-exists";
    public const string SourceQuotaExceeded = "webhook-source-quota-exceeded";
    public const string SourceContention = "webhook-source-contention";
}
