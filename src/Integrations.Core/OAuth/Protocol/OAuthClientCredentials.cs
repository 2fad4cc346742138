namespace Integrations.Core.OAuth.Protocol;

/// <summary>
/// The hub's client registration at a provider, with its secret or private key unsealed for one request. Held in
/// memory only for the call; <see cref="ToString"/> never shows the secret or the key.
/// </summary>
public sealed record OAuthClientCredentials(string ClientId, ClientAuthenticationMethod Method, string? ClientSecret = null, string? PrivateKeyPem = null)
{
    public override string ToString() => $"OAuthClientCredentials {{ ClientId = {ClientId}, Method = {Method} }}";
}
