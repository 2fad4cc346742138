namespace Integrations.Core.OAuth;

/// <summary>How the hub authenticates itself to a provider's token endpoint (RFC 6749 §2.3, RFC 7523 §2.2).</summary>
public enum ClientAuthenticationMethod
{
    /// <summary>HTTP Basic with the form-encoded client id and secret (RFC 6749 §2.3.1). The default.</summary>
    ClientSecretBasic,

    /// <summary><c>client_id</c> and <c>client_secret</c> in the form body.</summary>
    ClientSecretPost,

    /// <summary>A JWT signed with the client's private key (the key is a vault secret), RFC 7523 §2.2.</summary>
    PrivateKeyJwt,

    /// <summary>A public client: only <c>client_id</c> is sent (PKCE protects the code).</summary>
    None,
}
