namespace Integrations.Core.OAuth.Protocol;

/// <summary>RFC 7009 revocation of one token, with its <c>token_type_hint</c> (<c>refresh_token</c> or <c>access_token</c>).</summary>
public sealed record RevocationRequest(Uri Endpoint, OAuthClientCredentials Client, string Token, string TokenTypeHint, string CircuitKey)
{
    public override string ToString() => $"RevocationRequest {{ Endpoint = {Endpoint}, TokenTypeHint = {TokenTypeHint} }}";
}
