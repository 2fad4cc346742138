using Integrations.Core.Identity.Tokens;

namespace Integrations.Core.Tests.Identity.Tokens;

public sealed class AccessTokenOptionsValidatorTests
{
    [Theory]
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

    [Theory]
    [InlineData("https://hub.example.com")]
    [InlineData(null)] // Unset where nothing is issued (the CLI); the API always has Hub:PublicBaseUrl to default to.
    public void Validate_AbsoluteOrUnsetIssuer_Succeeds(string? issuer)
    {
        Assert.True(new AccessTokenOptionsValidator().Validate(null, new AccessTokenOptions { Issuer = issuer }).Succeeded);
    }
}
