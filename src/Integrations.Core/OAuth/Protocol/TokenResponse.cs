namespace Integrations.Core.OAuth.Protocol;

/// <summary>
/// A successful token response (RFC 6749 §5.1). <see cref="ExpiresIn"/> is null when the provider sent none (some
/// do not); <see cref="Scope"/> is null when it did not say (RFC 6749 §5.1: then the requested scope was granted).
/// <see cref="ToString"/> shows no token.
/// </summary>
public sealed record TokenResponse(string AccessToken, string TokenType, TimeSpan? ExpiresIn, string? RefreshToken, string? Scope, string? IdToken)
{
    /// <summary>Other members of the response (e.g. Slack's <c>team</c>, Salesforce's <c>instance_url</c>): names and string values, no tokens.</summary>
    public IReadOnlyDictionary<string, string> Extra { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>
    /// <see cref="Scope"/> split into scope tokens: on spaces (RFC 6749 §3.3) and on commas, which some providers
    /// (GitHub, Slack) send instead. Empty when <see cref="Scope"/> is null.
    /// </summary>
    public IReadOnlyList<string> GrantedScopes { get; init; } = [];

    public override string ToString() => $"TokenResponse {{ TokenType = {TokenType}, ExpiresIn = {ExpiresIn}, HasRefreshToken = {RefreshToken is not null}, Scope = {Scope} }}";
}
