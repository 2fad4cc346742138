namespace Integrations.Core.Identity.Tokens;

/// <summary>Why an access token was refused. A code only: it never carries the token or any part of it.</summary>
public enum AccessTokenFailure
{
    /// <summary>Not refused.</summary>
    None = 0,

    /// <summary>Not a compact JWS as this hub writes them: not three segments, not unpadded base64url, not JSON, a duplicate or unexpected member.</summary>
    Malformed,

    /// <summary>The header's <c>alg</c> is not ES256 (<c>none</c>, HS256, RS256 …).</summary>
    AlgorithmNotAllowed,

    /// <summary>The header's <c>typ</c> is not <c>at+jwt</c> (RFC 9068 §2.1).</summary>
    WrongType,

    /// <summary>The <c>kid</c> names no key this hub publishes.</summary>
    UnknownKey,

    /// <summary>The signature does not verify under the named key.</summary>
    BadSignature,

    /// <summary>A required claim is missing, empty or of the wrong type.</summary>
    MissingClaim,

    /// <summary><c>iss</c> is not this hub.</summary>
    WrongIssuer,

    /// <summary><c>aud</c> is not this hub's audience.</summary>
    WrongAudience,

    /// <summary>Past <c>exp</c> (plus the clock skew).</summary>
    Expired,

    /// <summary><c>iat</c> is further in the future than the clock skew allows.</summary>
    NotYetValid,

    /// <summary><c>exp</c> is not after <c>iat</c>, or the two are further apart than the configured lifetime.</summary>
    InvalidLifetime,
}
