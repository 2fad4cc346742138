namespace Integrations.Core.OAuth.Tokens;

/// <summary>
/// A connection's current access token as handed to a caller or injected by the proxy. <see cref="ToString"/>
/// never shows <see cref="Value"/>.
/// </summary>
public sealed record AccessToken(string Value, string TokenType, DateTimeOffset? ExpiresAt, IReadOnlyList<string> Scopes)
{
    public override string ToString() => $"AccessToken {{ TokenType = {TokenType}, ExpiresAt = {ExpiresAt}, Scopes = [{string.Join(' ', Scopes)}] }}";
}
