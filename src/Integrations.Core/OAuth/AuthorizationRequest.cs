namespace Integrations.Core.OAuth;

/// <summary>
/// An authorization request as sent (RFC 6749 §4.1.1): the URL for the browser and what the callback needs to check
/// the answer and redeem the code — the state, the PKCE verifier (null without PKCE) and the nonce (null unless
/// <c>openid</c> was asked for). The caller stores all three with the state; <see cref="ToString"/> prints none of them.
/// </summary>
public sealed record AuthorizationRequest(Uri Url, string State, string? CodeVerifier, string? Nonce, IReadOnlyList<string> Scopes)
{
    public override string ToString() => $"AuthorizationRequest {{ Url = {Url.GetLeftPart(UriPartial.Path)}, Scopes = {string.Join(' ', Scopes)} }}";
}
