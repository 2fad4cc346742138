namespace Integrations.Core.OAuth.Flows;

/// <summary>
/// A state a callback has just consumed, with its opened PKCE verifier, ready for the token exchange (send
/// <see cref="CodeVerifier"/> and the same <c>redirect_uri</c>). ToString shows no verifier.
/// </summary>
public sealed record ConsumedOAuthState(OAuthState State, string? CodeVerifier, Uri RedirectUri)
{
    public override string ToString() => $"ConsumedOAuthState {{ {State} }}";
}
