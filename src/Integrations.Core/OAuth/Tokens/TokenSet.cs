using System.Text.Json;
using System.Text.Json.Serialization;

namespace Integrations.Core.OAuth.Tokens;

/// <summary>
/// A connection's tokens as stored: the value of its token secret (<see cref="TokenSecrets"/>), sealed by the vault
/// like any other. A small, versioned JSON document (<see cref="Format"/>) that names its connection, so a value
/// copied from another connection's secret is refused. <see cref="ToString"/> shows no token.
/// </summary>
public sealed record TokenSet
{
    /// <summary>The format this code writes; a reader refuses a format it does not know.</summary>
    public const int CurrentFormat = 1;

    public int Format { get; init; } = CurrentFormat;

    public required string ConnectionId { get; init; }

    public required string AccessToken { get; init; }

    public required string TokenType { get; init; }

    /// <summary>Kept across refreshes that return none (RFC 6749 §6: the old one stays valid); replaced when one rotates.</summary>
    public string? RefreshToken { get; init; }

    /// <summary>When the access token expires; from <c>expires_in</c>, or assumed (<see cref="ExpiryAssumed"/>).</summary>
    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>The provider sent no <c>expires_in</c>: <see cref="ExpiresAt"/> is a default lifetime, and the first 401 refreshes.</summary>
    public bool ExpiryAssumed { get; init; }

    /// <summary>
    /// From when a caller gets a refreshed token instead of this one (expiry minus the provider's skew, fixed when the
    /// token was stored), so the hot path decides from this document alone, without reading the provider.
    /// </summary>
    public required DateTimeOffset RefreshAt { get; init; }

    /// <summary>The scopes granted, normalised (<see cref="TokenScopes.Parse"/>).</summary>
    public IReadOnlyList<string> Scopes { get; init; } = [];

    public required DateTimeOffset IssuedAt { get; init; }

    /// <summary>
    /// Set when the provider refused the grant for good (<c>invalid_grant</c> …): no instance sends another refresh
    /// with it until a new grant replaces this document — the guard against a retry storm lives with the tokens.
    /// </summary>
    public string? ReauthReason { get; init; }

    /// <summary>Whether the access token is still valid at <paramref name="now"/> (it may be inside the refresh skew).</summary>
    public bool IsUsableAt(DateTimeOffset now) => now < ExpiresAt;

    /// <summary>Whether the access token is valid and outside the refresh skew at <paramref name="now"/>: the hot path.</summary>
    public bool IsFreshAt(DateTimeOffset now) => now < RefreshAt && ReauthReason is null;

    public AccessToken ToAccessToken() => new(AccessToken, TokenType, ExpiresAt, Scopes);

    public string Serialize() => JsonSerializer.Serialize(
        new Document
        {
            Format = Format,
            ConnectionId = ConnectionId,
            AccessToken = AccessToken,
            TokenType = TokenType,
            RefreshToken = RefreshToken,
            ExpiresAt = ExpiresAt,
            ExpiryAssumed = ExpiryAssumed ? true : null,
            RefreshAt = RefreshAt,
            Scope = string.Join(' ', Scopes),
            IssuedAt = IssuedAt,
            ReauthReason = ReauthReason,
        },
        TokenSetJsonContext.Default.Document);

    /// <summary>The token set in <paramref name="json"/> if it is a document of a known format for <paramref name="connectionId"/>; otherwise null.</summary>
    public static TokenSet? TryParse(string json, string connectionId)
    {
        Document? document;
        try
        {
            document = JsonSerializer.Deserialize(json, TokenSetJsonContext.Default.Document);
        }
        catch (JsonException)
        {
            return null;
        }

        if (document is not { Format: CurrentFormat, AccessToken.Length: > 0, TokenType.Length: > 0, ExpiresAt: { } expiresAt, RefreshAt: { } refreshAt, IssuedAt: { } issuedAt }
            || !string.Equals(document.ConnectionId, connectionId, StringComparison.Ordinal))
        {
            return null;
        }

        return new TokenSet
        {
            Format = document.Format,
            ConnectionId = connectionId,
            AccessToken = document.AccessToken,
            TokenType = document.TokenType,
            RefreshToken = string.IsNullOrEmpty(document.RefreshToken) ? null : document.RefreshToken,
            ExpiresAt = expiresAt,
            ExpiryAssumed = document.ExpiryAssumed ?? false,
            RefreshAt = refreshAt,
            Scopes = TokenScopes.Parse(document.Scope),
            IssuedAt = issuedAt,
            ReauthReason = document.ReauthReason,
        };
    }

    public override string ToString() =>
        $"TokenSet {{ ConnectionId = {ConnectionId}, TokenType = {TokenType}, HasRefreshToken = {RefreshToken is not null}, ExpiresAt = {ExpiresAt:O}, RefreshAt = {RefreshAt:O}, Scopes = [{string.Join(' ', Scopes)}], ReauthReason = {ReauthReason} }}";

    /// <summary>The stored shape (snake_case, as the rest of the hub's JSON).</summary>
    internal sealed class Document
    {
        [JsonPropertyName("format")]
        public int Format { get; set; }

        [JsonPropertyName("connection_id")]
        public string? ConnectionId { get; set; }

        [JsonPropertyName("access_token")]
        public string? AccessToken { get; set; }

        [JsonPropertyName("token_type")]
        public string? TokenType { get; set; }

        [JsonPropertyName("refresh_token")]
        public string? RefreshToken { get; set; }

        [JsonPropertyName("expires_at")]
        public DateTimeOffset? ExpiresAt { get; set; }

        [JsonPropertyName("expiry_assumed")]
        public bool? ExpiryAssumed { get; set; }

        [JsonPropertyName("refresh_at")]
        public DateTimeOffset? RefreshAt { get; set; }

        [JsonPropertyName("scope")]
        public string? Scope { get; set; }

        [JsonPropertyName("issued_at")]
        public DateTimeOffset? IssuedAt { get; set; }

        [JsonPropertyName("reauth_reason")]
        public string? ReauthReason { get; set; }
    }
}

/// <summary>Source-generated (de)serialisation of <see cref="TokenSet.Document"/>: the token read is on every hot-path call.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(TokenSet.Document))]
internal sealed partial class TokenSetJsonContext : JsonSerializerContext;
