using System.Web;
using Integrations.Core.OAuth;

namespace Integrations.Core.Tests.OAuth;

public sealed class ProviderRulesTests
{
    private static readonly OAuthEndpointPolicy Production = new(requireHttps: true);
    private static readonly OAuthEndpointPolicy Development = new(requireHttps: false);

    [Fact]
    public void ParseEndpoint_HttpOutsideDevelopment_IsRefusedAsInsecure()
    {
        var parsed = ProviderRules.ParseEndpoint("http://idp.example.com/token", "endpoints.token", Production);

        Assert.False(parsed.IsSuccess);
        Assert.Equal(ProviderErrors.InsecureEndpoint, parsed.Error!.Code);
        Assert.Equal("endpoints.token", parsed.Error.Field);
    }

    [Fact]
    public void ParseEndpoint_HttpInDevelopment_IsAccepted()
    {
        var parsed = ProviderRules.ParseEndpoint("http://127.0.0.1:5000/token", "endpoints.token", Development);

        Assert.True(parsed.IsSuccess);
    }

    [Theory]
    [InlineData("/relative/token")]
    [InlineData("ftp://idp.example.com/token")]
    [InlineData("https://user:pass@idp.example.com/token")]
    [InlineData("https://idp.example.com/token#frag")]
    public void ParseEndpoint_NotAnAbsoluteHttpUrl_IsRefused(string value)
    {
        var parsed = ProviderRules.ParseEndpoint(value, "endpoints.token", Development);

        Assert.Equal(ProviderErrors.InvalidEndpoint, parsed.Error?.Code);
    }

    [Theory]
    [InlineData("state")]
    [InlineData("code_challenge")]
    [InlineData("redirect_uri")]
    [InlineData("client_secret")]
    [InlineData("STATE")]
    [InlineData("Code_Challenge_Method")]
    public void ValidateExtraParameters_ProtocolParameter_IsRefused(string name)
    {
        var error = ProviderRules.ValidateExtraParameters(new Dictionary<string, string> { [name] = "x" }, "extra_authorization_parameters");

        Assert.Equal(ProviderErrors.ProtectedParameter, error?.Code);
    }

    [Fact]
    public void ValidateExtraParameters_OrdinaryParameter_IsAccepted() =>
        Assert.Null(ProviderRules.ValidateExtraParameters(new Dictionary<string, string> { ["access_type"] = "offline", ["prompt"] = "consent" }, "extra"));

    [Theory]
    [InlineData(";")]
    [InlineData("  ")]
    [InlineData("")]
    public void ValidateScopeSeparator_Unknown_IsRefused(string separator) =>
        Assert.Equal(ProviderErrors.InvalidProviderSetting, ProviderRules.ValidateScopeSeparator(separator)?.Code);

    [Fact]
    public void ValidateScopes_ScopeContainingTheSeparator_IsRefused() =>
        Assert.NotNull(ProviderRules.ValidateScopes(["read,write"], ","));

    [Theory]
    [InlineData(-1)]
    [InlineData(3601)]
    public void ValidateRefreshSkew_OutOfBounds_IsRefused(int seconds) =>
        Assert.NotNull(ProviderRules.ValidateRefreshSkew(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void ValidateEndpoints_DiscoveredHttpEndpointOutsideDevelopment_IsRefused()
    {
        var endpoints = new ProviderEndpoints { Token = new Uri("https://idp.example.com/token"), Authorization = new Uri("http://idp.example.com/authorize") };

        Assert.Equal(ProviderErrors.InsecureEndpoint, ProviderRules.ValidateEndpoints(endpoints, Production)?.Code);
        Assert.Null(ProviderRules.ValidateEndpoints(endpoints, Development));
    }

    [Fact]
    public void Build_StoredExtraParameterNamingAProtocolParameter_CannotOverrideIt()
    {
        // A row written around the rules (directly in storage) must still not set state or redirect_uri: the builder
        // drops such extras, and RequestUrl would let the protocol values win besides.
        var template = ProviderTemplates.Find("google")!;
        var endpoints = ProviderService.Instantiate(template, new Dictionary<string, string>());
        var provider = ProviderTemplatesTests.ProviderFrom(template, endpoints) with
        {
            ExtraAuthorizationParameters = new Dictionary<string, string> { ["state"] = "fixed", ["redirect_uri"] = "https://evil.example/cb", ["prompt"] = "consent" },
        };

        var built = AuthorizationRequestBuilder.Build(provider, endpoints, new Uri("https://hub.example.com/v1/oauth/callback"));

        var query = HttpUtility.ParseQueryString(built.Value!.Url.Query);
        Assert.Equal([built.Value.State], query.GetValues("state")!);
        Assert.Equal(["https://hub.example.com/v1/oauth/callback"], query.GetValues("redirect_uri")!);
        Assert.Equal("consent", query["prompt"]);
    }

    [Fact]
    public void Build_ProviderWithoutAuthorizationEndpoint_IsRefused()
    {
        var endpoints = new ProviderEndpoints { Token = new Uri("https://idp.example.com/token") };
        var provider = ProviderTemplatesTests.ProviderFrom(ProviderTemplates.Find("github")!, endpoints);

        var built = AuthorizationRequestBuilder.Build(provider, endpoints, new Uri("https://hub.example.com/cb"));

        Assert.Equal(ProviderErrors.MissingEndpoints, built.Error?.Code);
    }
}
