namespace Integrations.Core.OAuth.Flows;

/// <summary>Error codes of the connect flows (authorize, callback, device, grant). Each has an entry in docs/problems.md.</summary>
public static class ConnectFlowErrors
{
    /// <summary>The route does not fit the connection's type (e.g. <c>authorize</c> on a device connection).</summary>
    public const string WrongConnectionType = "connect-flow-not-for-type";

    /// <summary>The connection is disabled: it cannot be connected until it is enabled.</summary>
    public const string ConnectionDisabled = "connect-connection-disabled";

    /// <summary>The provider answered the authorization request with an error (RFC 6749 §4.1.2.1).</summary>
    public const string ProviderError = "oauth-provider-error";

    /// <summary>The callback carried neither a code nor an error.</summary>
    public const string CodeMissing = "oauth-code-missing";

    /// <summary>The connection or its provider changed or disappeared while the browser was away.</summary>
    public const string ConnectionChanged = "oauth-connection-changed";

    /// <summary>The token endpoint refused the grant (an OAuth error such as <c>invalid_grant</c>).</summary>
    public const string GrantRefused = "grant-refused";

    /// <summary>The token endpoint could not be reached or answered badly (5xx, 429, network, malformed).</summary>
    public const string ProviderUnavailable = "grant-provider-unavailable";

    /// <summary>The id token failed validation (signature, issuer, audience, nonce, expiry) or was missing for <c>openid</c>.</summary>
    public const string IdTokenInvalid = "oauth-id-token-invalid";

    /// <summary><c>grant_type</c> is missing, malformed, or not one this connection's type may use.</summary>
    public const string InvalidGrantType = "invalid-grant-type";

    /// <summary>A grant parameter is malformed or would override what the hub sets (client authentication, grant_type).</summary>
    public const string InvalidGrantParameters = "invalid-grant-parameters";

    /// <summary>The provider has no device authorization endpoint.</summary>
    public const string DeviceNotSupported = "device-authorization-unsupported";
}
