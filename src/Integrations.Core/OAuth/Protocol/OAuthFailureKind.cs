namespace Integrations.Core.OAuth.Protocol;

/// <summary>Why a call to a provider failed, in the classes the hub acts on differently.</summary>
public enum OAuthFailureKind
{
    /// <summary>The provider answered with an OAuth error (RFC 6749 §5.2), e.g. <c>invalid_grant</c>: final, no retry.</summary>
    ProtocolError,

    /// <summary>5xx, 429, network or timeout: worth trying later (with backoff; <see cref="OAuthFailure.RetryAfter"/> when sent).</summary>
    Transient,

    /// <summary>The answer was not a valid response (not JSON, no access_token, too large).</summary>
    MalformedResponse,

    /// <summary>The SSRF guard refused the endpoint, or its circuit is open: nothing (more) was sent.</summary>
    Refused,
}
