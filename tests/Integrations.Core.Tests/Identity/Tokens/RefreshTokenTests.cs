using System.Security.Cryptography;
using Integrations.Core.Crypto;
using Integrations.Core.Identity;
using Integrations.Core.Identity.Tokens;

namespace Integrations.Core.Tests.Identity.Tokens;

public sealed class RefreshTokenTests
{
    [Fact]
    public void Generate_HasPrefixLengthAndChecksum()
    {
        var token = RefreshToken.Generate();

        Assert.StartsWith("ihr_", token, StringComparison.Ordinal);
        Assert.Equal(RefreshToken.Length, token.Length);
        Assert.True(RefreshToken.IsWellFormed(token));
    }

    [Fact]
    public void Generate_ManyTokens_AreDistinct()
    {
        var tokens = Enumerable.Range(0, 1000).Select(_ => RefreshToken.Generate()).ToHashSet(StringComparer.Ordinal);

        Assert.Equal(1000, tokens.Count);
    }

    [Fact]
    public void IsWellFormed_OneCharacterChanged_IsFalse()
    {
        var token = RefreshToken.Generate();
        var changed = token[..10] + (token[10] == 'a' ? 'b' : 'a') + token[11..];

        Assert.False(RefreshToken.IsWellFormed(changed));
    }

    [Theory]
    [InlineData("")]
    [InlineData("ihr_")]
    [InlineData("ihr_0000000000000000000000000000000000000")]
    [InlineData("ihr_00000000000000000000000000000000=00000")]
    public void IsWellFormed_WrongShape_IsFalse(string token)
    {
        Assert.False(RefreshToken.IsWellFormed(token));
    }

    [Fact]
    public void IsWellFormed_AnApiKey_IsFalse()
    {
        var (apiKey, _) = ApiKeyToken.Generate();

        Assert.False(RefreshToken.IsWellFormed(apiKey));
        Assert.False(ApiKeyToken.IsWellFormed(RefreshToken.Generate()));
    }

    [Fact]
    public void LookupHash_IsKeyed_AndNotTheApiKeyLookupOfTheSameDigest()
    {
        using var key = new AuthorityKey("ahk_a", RandomNumberGenerator.GetBytes(32));
        using var other = new AuthorityKey("ahk_b", RandomNumberGenerator.GetBytes(32));
        var token = RefreshToken.Generate();

        var hash = RefreshToken.LookupHash(key, token);

        Assert.Equal(hash, RefreshToken.LookupHash(key, token));
        Assert.NotEqual(hash, RefreshToken.LookupHash(other, token));
        Assert.NotEqual(hash, key.LookupHash(RefreshToken.Digest(token)));
        Assert.NotEqual(hash, Convert.ToHexStringLower(RefreshToken.Digest(token)));
        Assert.Equal(64, hash.Length);
    }
}
