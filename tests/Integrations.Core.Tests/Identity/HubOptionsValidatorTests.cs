using Integrations.Core.Identity;

namespace Integrations.Core.Tests.Identity;

public sealed class HubOptionsValidatorTests
{
    [Theory]
    [InlineData("https://hub.example.com", false)]
    [InlineData("https://hub.example.com/", false)]
    [InlineData("https://hub.example.com:8443/integrations", false)]
    [InlineData("http://127.0.0.1:7071", false)] // Loopback never leaves the machine.
    [InlineData("http://localhost:7071", false)]
    [InlineData("http://[::1]:7071", false)]
    [InlineData("http://hub.internal:7071", true)]
    public void Check_GoodPublicBaseUrl_IsAccepted(string value, bool isDevelopment) =>
        Assert.Null(HubOptionsValidator.Check(value, isDevelopment));

    [Theory]
    [InlineData("http://hub.example.com")]
    [InlineData("hub.example.com")]
    [InlineData("/hub")]
    [InlineData("ftp://hub.example.com")]
    [InlineData("https://hub.example.com/?tenant=1")]
    [InlineData("https://hub.example.com/#x")]
    [InlineData("https://user:pass@hub.example.com")]
    public void Check_BadPublicBaseUrlOutsideDevelopment_IsRefusedNamingTheSetting(string value)
    {
        var error = HubOptionsValidator.Check(value, isDevelopment: false);

        Assert.NotNull(error);
        Assert.Contains("Hub:PublicBaseUrl", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_NotSet_IsLeftToTheApi() =>
        Assert.True(new HubOptionsValidator().Validate(null, new HubOptions()).Succeeded);

    [Fact]
    public void Validate_NoEnvironment_IsStrict() =>
        Assert.True(new HubOptionsValidator().Validate(null, new HubOptions { PublicBaseUrl = "http://hub.example.com" }).Failed);
}
