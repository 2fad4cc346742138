using Integrations.Core.Connections.Proxy;

namespace Integrations.Core.Tests.Connections.Proxy;

public sealed class ProxyHeadersTests
{
    [Fact]
    public void ForRequest_DropsHopByHopCredentialsHostAndHubHeaders()
    {
        var forwarded = ProxyHeaders.ForRequest(
        [
            H("Accept", "application/json"),
            H("Authorization", "Bearer hub-key"),
            H("Cookie", "session=1"),
            H("Host", "hub.example.com"),
            H("Connection", "keep-alive, X-Custom-Hop"),
            H("X-Custom-Hop", "1"),
            H("Keep-Alive", "timeout=5"),
            H("Proxy-Authorization", "Basic x"),
            H("Proxy-Authenticate", "Basic"),
            H("proxy-connection", "keep-alive"),
            H("TE", "trailers"),
            H("Trailer", "Expires"),
            H("Transfer-Encoding", "chunked"),
            H("Upgrade", "websocket"),
            H("Content-Length", "12"),
            H("Expect", "100-continue"),
            H("X-Forwarded-For", "10.0.0.1"),
            H("Forwarded", "for=10.0.0.1"),
            H("X-Principal-Id", "user_1"),
            H("Hub-Audit-Outcome", "x"),
            H("X-Hub-Attempts", "9"),
            H("Content-Type", "application/json"),
            H("X-Request-Id", "abc"),
            H("Accept", "text/plain"),
        ]);

        Assert.Equal(
            [H("Accept", "application/json"), H("Content-Type", "application/json"), H("X-Request-Id", "abc"), H("Accept", "text/plain")],
            forwarded);
    }

    [Fact]
    public void ForRequest_NamesCompareIgnoringCase()
    {
        var forwarded = ProxyHeaders.ForRequest([H("authorization", "Bearer x"), H("COOKIE", "a=b"), H("transfer-encoding", "chunked")]);

        Assert.Empty(forwarded);
    }

    [Fact]
    public void ForResponse_DropsHopByHopAndSpoofedHubHeadersKeepsTheRest()
    {
        var returned = ProxyHeaders.ForResponse(
        [
            H("Content-Type", "application/json"),
            H("Connection", "close, X-Internal"),
            H("X-Internal", "1"),
            H("Transfer-Encoding", "chunked"),
            H("Keep-Alive", "timeout=5"),
            H("Upgrade", "h2c"),
            H("Proxy-Authenticate", "Basic"),
            H("Alt-Svc", "h3=\":443\""),
            H("X-Hub-Attempts", "1"),
            H("Set-Cookie", "a=1"),
            H("Set-Cookie", "b=2"),
            H("WWW-Authenticate", "Bearer error=\"invalid_token\""),
            H("X-RateLimit-Remaining", "10"),
            H("Content-Length", "42"),
        ]);

        Assert.Equal(
        [
            H("Content-Type", "application/json"), H("Set-Cookie", "a=1"), H("Set-Cookie", "b=2"),
            H("WWW-Authenticate", "Bearer error=\"invalid_token\""), H("X-RateLimit-Remaining", "10"), H("Content-Length", "42"),
        ], returned);
    }

    [Theory]
    [InlineData("Authorization", true)]
    [InlineData("X-API-Key", true)]
    [InlineData("Host", false)]
    [InlineData("Connection", false)]
    [InlineData("Transfer-Encoding", false)]
    [InlineData("", false)]
    public void MayConfigure_RefusesHeadersThatDescribeTheConnection(string name, bool allowed) =>
        Assert.Equal(allowed, ProxyHeaders.MayConfigure(name));

    private static KeyValuePair<string, string> H(string name, string value) => KeyValuePair.Create(name, value);
}
