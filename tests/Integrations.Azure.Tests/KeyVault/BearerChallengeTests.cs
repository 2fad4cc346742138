using Integrations.Azure.KeyVault;

namespace Integrations.Azure.Tests.KeyVault;

public sealed class BearerChallengeTests
{
    [Fact]
    public void Parse_KeyVaultChallenge_ReadsAuthorizationAndResource()
    {
        var parameters = BearerChallenge.Parse("Bearer authorization=\"https://login.microsoftonline.com/tenant-1\", resource=\"https://vault.azure.net\"");

        Assert.NotNull(parameters);
        Assert.Equal("https://login.microsoftonline.com/tenant-1", parameters["authorization"]);
        Assert.Equal("https://vault.azure.net", parameters["RESOURCE"]);
    }

    [Fact]
    public void Parse_SeveralChallenges_ReadsTheBearerOne()
    {
        var parameters = BearerChallenge.Parse("Basic realm=\"x\", PoP nonce=\"n\" , Bearer scope=\"https://vault.azure.net/.default\", error=\"insufficient_claims\"");

        Assert.NotNull(parameters);
        Assert.Equal(["scope", "error"], parameters.Keys);
        Assert.Equal("https://vault.azure.net/.default", parameters["scope"]);
    }

    [Fact]
    public void Parse_QuotedPairAndTokenValues_AreUnescaped()
    {
        var parameters = BearerChallenge.Parse("Bearer realm=\"a \\\"b\\\" c\",error=invalid_token");

        Assert.NotNull(parameters);
        Assert.Equal("a \"b\" c", parameters["realm"]);
        Assert.Equal("invalid_token", parameters["error"]);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Basic realm=\"x\"")]
    [InlineData("Negotiate abc==")]
    [InlineData("\"unterminated")]
    public void Parse_NoBearerChallenge_ReturnsNull(string? header)
    {
        Assert.Null(BearerChallenge.Parse(header));
    }
}
