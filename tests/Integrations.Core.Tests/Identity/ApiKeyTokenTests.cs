using System.Text;
using Integrations.Core.Identity;

namespace Integrations.Core.Tests.Identity;

public sealed class ApiKeyTokenTests
{
    [Fact]
    public void Crc32_StandardCheckValue_Matches()
    {
        // The CRC-32/ISO-HDLC check value: CRC of the ASCII string "123456789" is 0xCBF43926.
        Assert.Equal(0xCBF43926u, Crc32.Compute(Encoding.ASCII.GetBytes("123456789")));
    }

    [Fact]
    public void Generate_ProducesWellFormedDistinctKeys_HashedNotStored()
    {
        var keys = Enumerable.Range(0, 2000).Select(_ => ApiKeyToken.Generate()).ToList();

        Assert.All(keys, k => Assert.True(ApiKeyToken.IsWellFormed(k.Token)));
        Assert.All(keys, k => Assert.StartsWith("ihk_", k.Token, StringComparison.Ordinal));
        Assert.All(keys, k => Assert.Equal(ApiKeyToken.Length, k.Token.Length));
        Assert.All(keys, k => Assert.Equal(64, k.Hash.Length));
        Assert.All(keys, k => Assert.DoesNotContain(k.Token[4..], k.Hash, StringComparison.Ordinal));
        Assert.Equal(keys.Count, keys.Select(k => k.Token).Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void IsWellFormed_AnySingleCharacterChanged_IsRejected()
    {
        var (token, _) = ApiKeyToken.Generate();

        for (var i = 4; i < token.Length; i++)
        {
            var altered = token.ToCharArray();
            altered[i] = altered[i] == 'a' ? 'b' : 'a';
            Assert.False(ApiKeyToken.IsWellFormed(new string(altered)), $"a change at position {i} went undetected");
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("ihk_")]
    [InlineData("ghp_c04Gl1c0jtJWZdndpDuVGjIUYucxCfEj3QTQPL")]
    [InlineData("ihk_c04Gl1c0jtJWZdndpDuVGjIUYucxCfEj3QTQP!")]
    public void IsWellFormed_WrongShape_IsRejected(string token)
    {
        Assert.False(ApiKeyToken.IsWellFormed(token));
    }

    [Fact]
    public void Hint_ShowsPrefixAndLastFourOnly()
    {
        var (token, _) = ApiKeyToken.Generate();

        Assert.Equal("ihk_…" + token[^4..], ApiKeyToken.Hint(token));
    }
}
