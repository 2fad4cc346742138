namespace Integrations.Core.Connections;

/// <summary>Error codes of connections. Each is a problem <c>type</c> with an entry in docs/problems.md.</summary>
public static class ConnectionErrors
{
    public const string ConnectionExists = "connection-exists";
    public const string InvalidConnectionType = "invalid-connection-type";
    public const string TypeImmutable = "connection-type-immutable";
    public const string InvalidProvider = "invalid-provider";
    public const string UnknownProvider = "unknown-provider";
    public const string InvalidSecretRefs = "invalid-secret-refs";
    public const string UnknownSecret = "unknown-secret";
    public const string InvalidApiKeyPlacement = "invalid-api-key-placement";
    public const string InvalidBaseUrl = "invalid-base-url";
    public const string InvalidDefaultHeaders = "invalid-default-headers";
    public const string InvalidTimeout = "invalid-timeout";
    public const string InvalidRetries = "invalid-retries";
    public const string InvalidRetryStrategy = "invalid-retry-strategy";
    public const string InvalidPolicy = "invalid-policy";
    public const string InvalidTestRequest = "invalid-test-request";
    public const string InvalidEndUser = "invalid-end-user";
    public const string InvalidScopes = "invalid-scopes";
    public const string InvalidDescription = "invalid-connection-description";
    public const string InvalidStatusTransition = "invalid-status-transition";
    public const string ConnectionContention = "connection-contention";
    public const string CredentialUnavailable = "credential-unavailable";
}
