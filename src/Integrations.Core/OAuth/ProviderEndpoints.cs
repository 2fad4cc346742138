namespace Integrations.Core.OAuth;

/// <summary>
/// Where a provider's OAuth endpoints are: taken from its discovery document (RFC 8414 / OpenID Connect Discovery) or
/// configured by hand. Only <see cref="Token"/> is needed by every grant; the others enable what they name.
/// </summary>
public sealed record ProviderEndpoints
{
    /// <summary>The issuer identifier (RFC 8414 §2); checked against <c>iss</c> on callbacks (RFC 9207) and id tokens.</summary>
    public Uri? Issuer { get; init; }

    public Uri? Authorization { get; init; }

    public required Uri Token { get; init; }

    /// <summary>RFC 7009 token revocation.</summary>
    public Uri? Revocation { get; init; }

    /// <summary>RFC 8628 device authorization.</summary>
    public Uri? DeviceAuthorization { get; init; }

    public Uri? UserInfo { get; init; }

    /// <summary>The JWKS that signs id tokens (OpenID Connect providers).</summary>
    public Uri? JwksUri { get; init; }

    /// <summary>The provider says it sends <c>iss</c> in authorization responses (RFC 9207 §3).</summary>
    public bool AuthorizationResponseIssParameterSupported { get; init; }
}
