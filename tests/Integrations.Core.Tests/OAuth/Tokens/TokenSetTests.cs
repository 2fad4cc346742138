using Integrations.Core.OAuth.Tokens;

namespace Integrations.Core.Tests.OAuth.Tokens;

public sealed class TokenSetTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);

    private static TokenSet Sample() => new()
    {
        ConnectionId = "con_a",
        AccessToken = "access-secret-value",
        TokenType = "Bearer",
        RefreshToken = "refresh-secret-value",
        ExpiresAt = Now.AddHours(1),
        ExpiryAssumed = true,
        RefreshAt = Now.AddMinutes(55),
        Scopes = ["read", "write"],
        IssuedAt = Now,
        ReauthReason = null,
    };

    [Fact]
    public void Serialize_ThenTryParse_RoundTrips()
    {
        var set = Sample();

        var parsed = TokenSet.TryParse(set.Serialize(), "con_a");

        Assert.NotNull(parsed);
        Assert.Equal(set.AccessToken, parsed.AccessToken);
        Assert.Equal(set.RefreshToken, parsed.RefreshToken);
        Assert.Equal(set.ExpiresAt, parsed.ExpiresAt);
        Assert.Equal(set.RefreshAt, parsed.RefreshAt);
        Assert.True(parsed.ExpiryAssumed);
        Assert.Equal(["read", "write"], parsed.Scopes);
        Assert.Contains("\"format\":1", set.Serialize(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{}")]
    [InlineData("{\"format\":2,\"connection_id\":\"con_a\",\"access_token\":\"a\",\"token_type\":\"Bearer\",\"expires_at\":\"2026-11-30T10:00:00+00:00\",\"refresh_at\":\"2026-11-30T10:00:00+00:00\",\"issued_at\":\"2026-11-30T09:00:00+00:00\"}")]
    [InlineData("{\"format\":1,\"connection_id\":\"con_a\",\"access_token\":\"\",\"token_type\":\"Bearer\",\"expires_at\":\"2026-11-30T10:00:00+00:00\",\"refresh_at\":\"2026-11-30T10:00:00+00:00\",\"issued_at\":\"2026-11-30T09:00:00+00:00\"}")]
    public void TryParse_MalformedOrUnknownFormat_IsNull(string json) => Assert.Null(TokenSet.TryParse(json, "con_a"));

    [Fact]
    public void TryParse_DocumentOfAnotherConnection_IsNull() => Assert.Null(TokenSet.TryParse(Sample().Serialize(), "con_b"));

    [Fact]
    public void ToString_ShowsNoToken()
    {
        var text = Sample().ToString();

        Assert.DoesNotContain("secret-value", text, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-value", Sample().ToAccessToken().ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void IsFreshAt_InsideTheSkewOrAfterARefusal_IsFalse_WhileStillUsable()
    {
        var set = Sample();

        Assert.True(set.IsFreshAt(Now.AddMinutes(54)));
        Assert.False(set.IsFreshAt(Now.AddMinutes(56)));
        Assert.True(set.IsUsableAt(Now.AddMinutes(56)));
        Assert.False(set.IsUsableAt(Now.AddHours(1)));
        Assert.False((set with { ReauthReason = "invalid_grant" }).IsFreshAt(Now));
    }

    [Theory]
    [InlineData("read write", new[] { "read", "write" })]
    [InlineData("repo,user", new[] { "repo", "user" })]
    [InlineData(" repo, user  repo ", new[] { "repo", "user" })]
    [InlineData("", new string[0])]
    [InlineData(null, new string[0])]
    public void Parse_SpaceOrCommaSeparated_IsNormalised(string? scope, string[] expected) => Assert.Equal(expected, TokenScopes.Parse(scope));

    [Fact]
    public void Missing_NamesWhatTheGrantLacks() => Assert.Equal(["admin"], TokenScopes.Missing(["read", "admin", "read"], ["read"]));
}
