using System.Security.Cryptography;
using Integrations.Core.Crypto;
using Integrations.Core.Identity;
using Integrations.Core.Identity.Tokens;

namespace Integrations.Core.Tests.Identity.Tokens;

public sealed class RefreshTokenTests
{
    private const string UserId = "usr_abcdefghijklmnopqrst";
    private const string SessionId = "ses_234567abcdefghijklmn";

    private static readonly AuthorityKey Key = new("ahk_a", RandomNumberGenerator.GetBytes(32));

    [Fact]
    public void Issue_HasPrefixLengthAndChecksum_AndNamesItsSession()
    {
        var token = RefreshToken.Issue(Key, UserId, SessionId, 41);

        Assert.StartsWith("ihr_", token, StringComparison.Ordinal);
        Assert.Equal(RefreshToken.Length, token.Length);
        Assert.True(RefreshToken.IsWellFormed(token));
        Assert.Equal(new RefreshTokenSubject(UserId, SessionId, 41), RefreshToken.ReadSubject(token));
        Assert.True(RefreshToken.HasValidTag(Key, token));
    }

    [Fact]
    public void Issue_ManyTokensOfOneSessionAndGeneration_AreDistinct()
    {
        var tokens = Enumerable.Range(0, 1000).Select(_ => RefreshToken.Issue(Key, UserId, SessionId, 0)).ToHashSet(StringComparer.Ordinal);

        Assert.Equal(1000, tokens.Count);
    }

    [Fact]
    public void IsWellFormed_OneCharacterChanged_IsFalse()
    {
        var token = RefreshToken.Issue(Key, UserId, SessionId, 0);
        var changed = token[..70] + (token[70] == 'a' ? 'b' : 'a') + token[71..];

        Assert.False(RefreshToken.IsWellFormed(changed));
        Assert.Null(RefreshToken.ReadSubject(changed));
    }

    [Theory]
    [InlineData("")]
    [InlineData("ihr_")]
    [InlineData("ihr_0000000000000000000000000000000000000")]
    [InlineData("ihr_00000000000000000000000000000000=00000")]
    public void IsWellFormed_WrongShape_IsFalse(string token)
    {
        Assert.False(RefreshToken.IsWellFormed(token));
        Assert.Null(RefreshToken.ReadSubject(token));
    }

    [Fact]
    public void IsWellFormed_AnApiKeyOrTheOldFormat_IsFalse()
    {
        var (apiKey, _) = ApiKeyToken.Generate();

        Assert.False(RefreshToken.IsWellFormed(apiKey));
        Assert.False(RefreshToken.IsWellFormed(ChecksummedToken.Generate(RefreshToken.Prefix)));
        Assert.False(ApiKeyToken.IsWellFormed(RefreshToken.Issue(Key, UserId, SessionId, 0)));
    }

    [Fact]
    public void HasValidTag_UnderAnotherKey_IsFalse()
    {
        using var other = new AuthorityKey("ahk_b", RandomNumberGenerator.GetBytes(32));

        Assert.False(RefreshToken.HasValidTag(other, RefreshToken.Issue(Key, UserId, SessionId, 3)));
    }

    [Theory]
    [InlineData(4, "ses_mmmmmmmmmmmmmmmmmmmm")] // another session named, the checksum made to match
    [InlineData(24, "usr_mmmmmmmmmmmmmmmmmmmm")] // another user
    [InlineData(44, "00000001")] // an earlier generation (what a forged "reuse" to end a victim's session would need)
    public void HasValidTag_AFieldRewrittenWithAMatchingChecksum_IsFalse(int start, string replacement)
    {
        var token = RefreshToken.Issue(Key, UserId, SessionId, 2);
        var value = replacement.Contains('_', StringComparison.Ordinal) ? replacement[4..] : replacement;
        var forged = WithChecksum(token[..start] + value + token[(start + value.Length)..]);

        Assert.True(RefreshToken.IsWellFormed(forged));
        Assert.NotNull(RefreshToken.ReadSubject(forged));
        Assert.False(RefreshToken.HasValidTag(Key, forged));
    }

    [Theory]
    [InlineData(44, "ffffffff")] // a negative generation
    [InlineData(44, "0000000G")] // not hex
    [InlineData(4, "ABCDEFGHIJKLMNOPQRST")] // not an id's alphabet
    public void ReadSubject_FieldsTheHubNeverIssues_IsNull(int start, string value)
    {
        var token = RefreshToken.Issue(Key, UserId, SessionId, 2);
        var forged = WithChecksum(token[..start] + value + token[(start + value.Length)..]);

        Assert.True(RefreshToken.IsWellFormed(forged));
        Assert.Null(RefreshToken.ReadSubject(forged));
    }

    [Fact]
    public void Issue_AnIdTheHubDoesNotIssue_Throws()
    {
        Assert.Throws<ArgumentException>(() => RefreshToken.Issue(Key, "usr_x", SessionId, 0));
        Assert.Throws<ArgumentException>(() => RefreshToken.Issue(Key, UserId, "org_234567abcdefghijklm", 0));
    }

    [Fact]
    public void LookupHash_IsKeyed_AndNotTheApiKeyLookupOfTheSameDigest()
    {
        using var other = new AuthorityKey("ahk_b", RandomNumberGenerator.GetBytes(32));
        var token = RefreshToken.Issue(Key, UserId, SessionId, 0);

        var hash = RefreshToken.LookupHash(Key, token);

        Assert.Equal(hash, RefreshToken.LookupHash(Key, token));
        Assert.NotEqual(hash, RefreshToken.LookupHash(other, token));
        Assert.NotEqual(hash, Key.LookupHash(RefreshToken.Digest(token)));
        Assert.NotEqual(hash, Convert.ToHexStringLower(RefreshToken.Digest(token)));
        Assert.Equal(64, hash.Length);
    }

    private static string WithChecksum(string token)
    {
        var chars = token.ToCharArray();
        ChecksummedToken.WriteChecksum(chars.AsSpan(0, chars.Length - ChecksummedToken.ChecksumLength), chars.AsSpan(chars.Length - ChecksummedToken.ChecksumLength));
        return new string(chars);
    }
}
