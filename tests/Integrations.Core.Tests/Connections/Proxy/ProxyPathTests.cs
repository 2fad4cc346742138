using Integrations.Core.Connections.Proxy;

namespace Integrations.Core.Tests.Connections.Proxy;

public sealed class ProxyPathTests
{
    private static readonly Uri Base = new("https://api.example.com/v1");

    [Theory]
    [InlineData("users/42", "/users/42", "https://api.example.com/v1/users/42")]
    [InlineData("/users/42", "/users/42", "https://api.example.com/v1/users/42")]
    [InlineData("users/42/", "/users/42/", "https://api.example.com/v1/users/42/")]
    [InlineData("a/../b", "/b", "https://api.example.com/v1/b")]
    [InlineData("a/%2e%2e/b", "/b", "https://api.example.com/v1/b")]
    [InlineData("a/./b", "/a/b", "https://api.example.com/v1/a/b")]
    [InlineData("a/b/..", "/a/", "https://api.example.com/v1/a/")]
    [InlineData("a//b", "/a/b", "https://api.example.com/v1/a/b")]
    [InlineData("", "/", "https://api.example.com/v1")]
    [InlineData("/", "/", "https://api.example.com/v1/")]
    [InlineData("...", "/...", "https://api.example.com/v1/...")]
    public void Resolve_PathInsideTheBase_IsNormalisedAndJoined(string path, string normalised, string target)
    {
        var result = ProxyPath.Resolve(Base, path);

        Assert.True(result.IsValid, result.Message);
        Assert.Equal(normalised, result.Path);
        Assert.Equal(target, result.Target.AbsoluteUri);
    }

    [Theory]
    [InlineData("https://api.example.com/v1")]
    [InlineData("https://api.example.com/v1/")]
    public void Resolve_BasePathWithOrWithoutTrailingSlash_JoinsWithOneSlash(string baseUrl)
    {
        var result = ProxyPath.Resolve(new Uri(baseUrl), "/users");

        Assert.Equal("https://api.example.com/v1/users", result.Target?.AbsoluteUri);
    }

    [Fact]
    public void Resolve_BaseWithoutPath_JoinsAtTheRoot()
    {
        var result = ProxyPath.Resolve(new Uri("http://127.0.0.1:8080"), "users");

        Assert.Equal("http://127.0.0.1:8080/users", result.Target?.AbsoluteUri);
    }

    [Theory]
    [InlineData("../admin")]
    [InlineData("/v1/../../admin")]
    [InlineData("%2e%2e/admin")]
    [InlineData("%2E%2E/admin")]
    [InlineData(".%2E/admin")]
    [InlineData("%2e./admin")]
    [InlineData("a/../../admin")]
    [InlineData("a/%2e%2e/%2e%2e/admin")]
    [InlineData("..")]
    public void Resolve_DotSegmentsClimbingAboveTheBase_AreRefused(string path)
    {
        var result = ProxyPath.Resolve(Base, path);

        Assert.False(result.IsValid);
        Assert.Equal(ProxyPathRejection.ClimbsAboveBase, result.Rejection);
        Assert.Null(result.Target);
    }

    [Fact]
    public void Resolve_CallerWritingTheBasePathAgainThenClimbing_StaysUnderTheBase()
    {
        // "/v1/../admin" below base /v1 is /v1/v1/../admin = /v1/admin: the '..' eats the caller's own segment only.
        var result = ProxyPath.Resolve(Base, "/v1/../admin");

        Assert.Equal("/admin", result.Path);
        Assert.Equal("https://api.example.com/v1/admin", result.Target?.AbsoluteUri);
    }

    [Theory]
    [InlineData("a%2fb", ProxyPathRejection.EncodedSeparator)]
    [InlineData("a%2Fb", ProxyPathRejection.EncodedSeparator)]
    [InlineData("a%5cb", ProxyPathRejection.EncodedSeparator)]
    [InlineData("a%5C..%5Cadmin", ProxyPathRejection.EncodedSeparator)]
    [InlineData("a\\..\\admin", ProxyPathRejection.EncodedSeparator)]
    [InlineData("a%00b", ProxyPathRejection.NulCharacter)]
    [InlineData("a\0b", ProxyPathRejection.NulCharacter)]
    [InlineData("a%zzb", ProxyPathRejection.InvalidEncoding)]
    [InlineData("a%2", ProxyPathRejection.InvalidEncoding)]
    [InlineData("a%", ProxyPathRejection.InvalidEncoding)]
    [InlineData("a%ff", ProxyPathRejection.InvalidEncoding)]
    [InlineData("a%c0%ae%c0%ae", ProxyPathRejection.InvalidEncoding)]
    [InlineData("x/..;/admin", ProxyPathRejection.AmbiguousDotSegment)]
    [InlineData("x/%2e%2e;jsessionid=1/admin", ProxyPathRejection.AmbiguousDotSegment)]
    public void Resolve_AmbiguousOrMalformedPath_IsRefused(string path, ProxyPathRejection rejection)
    {
        var result = ProxyPath.Resolve(Base, path);

        Assert.Equal(rejection, result.Rejection);
        Assert.NotNull(result.Message);
        Assert.DoesNotContain("admin", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_Query_IsForwardedAsGiven()
    {
        var result = ProxyPath.Resolve(Base, "search", "?q=a%20b&tag=x&tag=y&empty=");

        Assert.Equal("/search", result.Path);
        Assert.Equal("?q=a%20b&tag=x&tag=y&empty=", result.Target?.Query);
    }

    [Fact]
    public void Resolve_QueryWithoutQuestionMark_IsForwarded()
    {
        var result = ProxyPath.Resolve(Base, "search", "q=1");

        Assert.Equal("https://api.example.com/v1/search?q=1", result.Target?.AbsoluteUri);
    }

    [Fact]
    public void Resolve_BaseUrlWithQuery_KeepsItFirst()
    {
        var result = ProxyPath.Resolve(new Uri("https://api.example.com/v1?api-version=2"), "items", "page=3");

        Assert.Equal("https://api.example.com/v1/items?api-version=2&page=3", result.Target?.AbsoluteUri);
    }

    [Fact]
    public void Resolve_EncodedUnreservedCharacters_AreDecodedForThePolicyAndTheUpstream()
    {
        var result = ProxyPath.Resolve(Base, "%61dmin/%7Euser");

        Assert.Equal("/admin/~user", result.Path);
        Assert.Equal("/v1/admin/~user", result.Target?.AbsolutePath);
    }

    [Fact]
    public void Resolve_EncodedReservedAndUnicodeCharacters_StayEncodedUpstreamAndDecodedForThePolicy()
    {
        var result = ProxyPath.Resolve(Base, "files/a%3fb%20c/%C3%A9t%c3%a9/r\u00e9sum\u00e9");

        Assert.Equal("/files/a?b c/\u00e9t\u00e9/r\u00e9sum\u00e9", result.Path);
        Assert.Equal("/v1/files/a%3Fb%20c/%C3%A9t%C3%A9/r%C3%A9sum%C3%A9", result.Target?.AbsolutePath);
    }

    [Fact]
    public void Resolve_BaseUrlWithUserInfo_DoesNotForwardIt()
    {
        var result = ProxyPath.Resolve(new Uri("https://user:pass@api.example.com/v1"), "x");

        Assert.Equal("https://api.example.com/v1/x", result.Target?.AbsoluteUri);
    }

    [Fact]
    public void Resolve_RelativeBaseUrl_Throws() =>
        Assert.Throws<ArgumentException>(() => ProxyPath.Resolve(new Uri("/v1", UriKind.Relative), "x"));

    private static readonly string[] Route = ["v1", "projects", "prj_1", "connections", "con_1", "proxy"];

    [Theory]
    [InlineData("/v1/projects/prj_1/connections/con_1/proxy/a/%2e%2e/b?x=1", "a/%2e%2e/b", "x=1")]
    [InlineData("/v1/projects/prj_1/connections/con_1/proxy/users/", "users/", "")]
    [InlineData("/v1/projects/prj_1/connections/con_1/proxy", "", "")]
    [InlineData("/v1/projects/prj_1/connections/con_1/proxy?q=1", "", "q=1")]
    [InlineData("/v1/projects/prj_1/connections/con_1/proxy//x", "/x", "")]
    public void SplitRawTarget_TargetUnderTheRoute_GivesTheRawRemainderAndQuery(string raw, string path, string query) =>
        Assert.Equal((path, query), ProxyPath.SplitRawTarget(raw, Route));

    [Theory]
    [InlineData("/v1/projects/prj_1/connections/con_1/x/../proxy/admin")]
    [InlineData("/v1/projects/prj_1/connections/con_2/proxy/a")]
    [InlineData("/v1/projects/prj_1/connections/con_1/proxyx/a")]
    [InlineData("v1/projects/prj_1/connections/con_1/proxy/a")]
    [InlineData("/v1/projects/prj_1/connections/con_1")]
    public void SplitRawTarget_TargetThatDoesNotStartWithTheRoute_IsNull(string raw) =>
        Assert.Null(ProxyPath.SplitRawTarget(raw, Route));
}
