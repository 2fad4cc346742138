namespace Integrations.Core.Connections;

/// <summary>How a connection authenticates. Wire names in <see cref="ConnectionTypes"/>.</summary>
public enum ConnectionType
{
    /// <summary>A key sent in a header or the query (name configurable).</summary>
    ApiKey,

    /// <summary>A static bearer token.</summary>
    Bearer,

    /// <summary>HTTP Basic with a username and password.</summary>
    Basic,

    OAuth2ClientCredentials,

    /// <summary>Authorization code with PKCE (a browser round trip). The seed's <c>oauth2_3leg</c> is an alias.</summary>
    OAuth2AuthorizationCode,

    /// <summary>RFC 8628 device authorization: the user enters a code elsewhere.</summary>
    OAuth2Device,

    /// <summary>Resource owner password credentials: legacy, discouraged (OAuth 2.0 Security BCP §2.4).</summary>
    OAuth2Password,

    /// <summary>Any other grant (token exchange RFC 8693, JWT bearer RFC 7523, …) with caller-supplied parameters.</summary>
    OAuth2Generic,
}
