using Integrations.Core.OAuth.Flows;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;

namespace Integrations.Core.Tests.OAuth;

public sealed class RedirectAfterPolicyTests
{
    private static readonly string[] Allowed = ["https://app.example.com", "https://admin.example.com:8443"];

    private readonly RedirectAfterPolicy _production = new(new Environment(Environments.Production));
    private readonly RedirectAfterPolicy _development = new(new Environment(Environments.Development));

    [Theory]
    [InlineData("https://app.example.com")]
    [InlineData("https://app.example.com/")]
    [InlineData("https://app.example.com/oauth/done?x=1#tab")]
    [InlineData("https://APP.example.com/Done")]
    [InlineData("https://app.example.com:443/done")]
    [InlineData("https://admin.example.com:8443/settings")]
    public void Check_UrlOnAnAllowedOrigin_IsAccepted(string url)
    {
        var result = _production.Check(url, Allowed);

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Equal(new Uri(url), result.Value);
    }

    [Theory]
    [InlineData("https://evil.example.com/done")]
    [InlineData("https://app.example.com.evil.com/done")]
    [InlineData("https://app.example.com:8443/done")] // Another port.
    [InlineData("https://admin.example.com/settings")] // The default port where 8443 is allowed.
    [InlineData("https://sub.app.example.com/")]
    public void Check_OtherOrigin_IsRefusedAsNotAllowed(string url)
    {
        var result = _production.Check(url, Allowed);

        Assert.Equal(OAuthErrors.RedirectOriginNotAllowed, result.Error?.Code);
        Assert.Equal("redirect_after", result.Error?.Field);
    }

    [Theory]
    [InlineData("https://app.example.com@evil.example.com/")] // User info: the host is evil.example.com.
    [InlineData("https://app.example.com:443@evil.example.com/")]
    [InlineData("https://@app.example.com/")]
    [InlineData("http://app.example.com/")] // Scheme downgrade outside Development.
    [InlineData("//app.example.com/done")]
    [InlineData("/done")]
    [InlineData("javascript:alert(1)")]
    [InlineData("data:text/html,hi")]
    [InlineData("https://app.example.com\\@evil.example.com/")]
    [InlineData("https://app.example.com/\tdone")]
    [InlineData(" https://app.example.com/")]
    [InlineData("ftp://app.example.com/")]
    public void Check_NotAPlainHttpsUrl_IsRefusedAsInvalid(string url)
    {
        var result = _production.Check(url, Allowed);

        Assert.Equal(OAuthErrors.InvalidRedirectAfter, result.Error?.Code);
    }

    [Fact]
    public void Check_HttpInDevelopment_MatchesOnlyAnHttpOrigin()
    {
        var allowed = new[] { "http://localhost:3000", "https://app.example.com" };

        Assert.True(_development.Check("http://localhost:3000/cb", allowed).IsSuccess);
        Assert.Equal(OAuthErrors.RedirectOriginNotAllowed, _development.Check("http://app.example.com/", allowed).Error?.Code); // Downgrade.
        Assert.Equal(OAuthErrors.InvalidRedirectAfter, _production.Check("http://localhost:3000/cb", allowed).Error?.Code);
    }

    [Fact]
    public void Check_NoRedirectAfter_IsAcceptedAsNone()
    {
        var result = _production.Check(null, []);

        Assert.True(result.IsSuccess);
        Assert.Null(result.Value);
    }

    [Fact]
    public void Check_NoAllowedOrigins_RefusesEveryUrl() =>
        Assert.Equal(OAuthErrors.RedirectOriginNotAllowed, _production.Check("https://app.example.com/", []).Error?.Code);

    [Fact]
    public void NormalizeOrigins_VariantsOfOneOrigin_AreStoredOnceInLowerCaseWithoutTheDefaultPort()
    {
        var result = _production.NormalizeOrigins(["https://App.Example.com", "https://app.example.com:443/", "https://app.example.com:8443", "https://[::1]:9000"]);

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Equal(["https://app.example.com", "https://app.example.com:8443", "https://[::1]:9000"], result.Value);
    }

    [Theory]
    [InlineData("https://app.example.com/path")]
    [InlineData("https://app.example.com/?q=1")]
    [InlineData("https://app.example.com#frag")]
    [InlineData("https://user@app.example.com")]
    [InlineData("http://app.example.com")]
    [InlineData("app.example.com")]
    [InlineData("")]
    [InlineData(null)]
    public void NormalizeOrigins_NotABareHttpsOrigin_IsRefusedNamingTheEntry(string? origin)
    {
        var result = _production.NormalizeOrigins(["https://ok.example.com", origin]);

        Assert.Equal(OAuthErrors.InvalidRedirectOrigin, result.Error?.Code);
        Assert.Equal("allowed_redirect_origins[1]", result.Error?.Field);
    }

    [Fact]
    public void NormalizeOrigins_TooMany_IsRefused() =>
        Assert.Equal(OAuthErrors.InvalidRedirectOrigin,
            _production.NormalizeOrigins(Enumerable.Range(0, RedirectAfterPolicy.MaxOrigins + 1).Select(i => (string?)$"https://a{i}.example.com").ToList()).Error?.Code);

    private sealed class Environment(string name) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;

        public string ApplicationName { get; set; } = "test";

        public string ContentRootPath { get; set; } = "/";

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
