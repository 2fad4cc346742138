namespace Integrations.Core.OAuth.Protocol;

/// <summary>
/// Error codes of <see cref="IOAuthProtocol"/>'s <c>Result</c> methods (device authorization, revocation, userinfo,
/// id token). Each is a problem <c>type</c> with an entry in docs/problems.md. Messages name the endpoint's host and the
/// provider's OAuth error code, never a token, code or secret.
/// </summary>
public static class OAuthProtocolErrors
{
    /// <summary>The provider answered with an OAuth error (RFC 6749 §5.2), e.g. <c>invalid_client</c>.</summary>
    public const string ProviderError = "oauth-provider-error";

    /// <summary>The provider could not be reached, timed out, or answered 5xx/429; worth trying later.</summary>
    public const string ProviderUnavailable = "oauth-provider-unavailable";

    /// <summary>The provider's answer was not a valid protocol response (not JSON, fields missing, too large).</summary>
    public const string ProviderResponseInvalid = "oauth-provider-response-invalid";

    /// <summary>The outbound guard refused the provider's endpoint (a private, loopback or otherwise special address).</summary>
    public const string ProviderRefused = "oauth-provider-refused";

    /// <summary>Calls to this provider's endpoints are suspended after repeated failures (the connection's circuit is open).</summary>
    public const string ProviderCircuitOpen = "oauth-provider-circuit-open";

    /// <summary>An id token failed validation: signature, issuer, audience, nonce or lifetime.</summary>
    public const string IdTokenInvalid = "id-token-invalid";
}
