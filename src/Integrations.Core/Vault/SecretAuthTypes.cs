namespace Integrations.Core.Vault;

/// <summary>
/// What kind of credential a secret holds (the Hush SDK's auth type). Informational: the vault seals every kind the
/// same way. A secret stored before the field existed reads as <see cref="Other"/>.
/// </summary>
public static class SecretAuthTypes
{
    public const string ApiKey = "api_key";
    public const string Bearer = "bearer";
    public const string Basic = "basic";
    public const string OAuthClient = "oauth_client";
    public const string OAuthToken = "oauth_token";
    public const string WebhookSecret = "webhook_secret";
    public const string Other = "other";

    public static IReadOnlyList<string> All { get; } = [ApiKey, Bearer, Basic, OAuthClient, OAuthToken, WebhookSecret, Other];

    public static bool IsKnown(string? authType) => authType is not null && All.Contains(authType, StringComparer.Ordinal);
}
