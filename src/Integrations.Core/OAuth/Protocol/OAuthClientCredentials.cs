namespace Integrations.Core.OAuth.Protocol;

/// <summary>
/// The hub's client registration at a provider, with its secret or private key unsealed for one request. Held in
/// memory only for the call; <see cref="ToString"/> never shows the secret or the key.
/// </summary>
public sealed record OAuthClientCredentials(string ClientId, ClientAuthenticationMethod Method, string? ClientSecret = null, string? PrivateKeyPem = null)
{
    /// <summary>
    /// The <c>aud</c> of <see cref="ClientAuthenticationMethod.PrivateKeyJwt"/> assertions. Set it to the provider's
    /// issuer when known: draft-ietf-oauth-rfc7523bis (and OpenIddict 7) accept only the issuer. Null: the URL of the
    /// endpoint being called, which RFC 7523 §3 allows and older servers expect.
    /// </summary>
    public Uri? AssertionAudience { get; init; }

    public override string ToString() => $"OAuthClientCredentials {{ ClientId = {ClientId}, Method = {Method} }}";
}
