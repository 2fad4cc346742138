namespace Integrations.Core.OAuth.Flows;

/// <summary>
/// The per-flow values that go into the authorization URL: <c>state</c>, <c>code_challenge</c> (with method S256, null when
/// PKCE is off), <c>nonce</c> and <c>redirect_uri</c>. The state value is a bearer secret until the callback: ToString hides it.
/// </summary>
public sealed record AuthorizationRequestValues(string State, string? CodeChallenge, string Nonce, Uri RedirectUri)
{
    /// <summary>The PKCE method: always S256 (RFC 7636 §4.2; <c>plain</c> is never sent).</summary>
    public const string CodeChallengeMethod = "S256";

    public override string ToString() => $"AuthorizationRequestValues {{ RedirectUri = {RedirectUri} }}";
}
