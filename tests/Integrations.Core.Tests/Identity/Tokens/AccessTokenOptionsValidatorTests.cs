using Integrations.Core.Identity.Tokens;

namespace Integrations.Core.Tests.Identity.Tokens;

public sealed class AccessTokenOptionsValidatorTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("hub.example.com")]
    [InlineData("https://hub.example.com/?x=1")]
    [InlineData("https://hub.example.com/#f")]
    public void Validate_BadIssuer_Fails(string? issuer)
    {
        var result = new AccessTokenOptionsValidator().Validate(null, new AccessTokenOptions { Issuer = issuer });

        Assert.True(result.Failed);
        Assert.Contains("Auth:Issuer", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_AbsoluteIssuer_Succeeds()
    {
        Assert.True(new AccessTokenOptionsValidator().Validate(null, new AccessTokenOptions { Issuer = "https://hub.example.com" }).Succeeded);
    }
}
