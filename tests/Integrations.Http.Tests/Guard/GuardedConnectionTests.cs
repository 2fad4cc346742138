using System.Net;
using Integrations.Http.Guard;
using Integrations.Http.Resilience;
using Integrations.Http.Tests.Support;
using Microsoft.AspNetCore.Http;

namespace Integrations.Http.Tests.Guard;

/// <summary>
/// The guard inside the live client, against a Kestrel server on 127.0.0.1: with the allow list empty nothing reaches
/// the server — not a request, not even a TCP connection — and with 127.0.0.0/8 listed the same call succeeds. Only
/// loopback is ever dialled, so a broken guard still stays on this machine.
/// </summary>
public sealed class GuardedConnectionTests
{
    public static TheoryData<string> LoopbackSpellings => new()
    {
        "127.0.0.1",
        "2130706433",
        "0x7f000001",
        "017700000001",
        "127.1",
        "127.0.0.1.",
        "[::ffff:127.0.0.1]",
        "loopback.test",
    };

    [Theory]
    [MemberData(nameof(LoopbackSpellings))]
    public async Task SendAsync_LoopbackWithEmptyAllowList_IsRefusedBeforeAnyConnection(string host)
    {
        await using var server = await LoopbackServer.StartAsync(Ok);
        await using var host_ = OutboundTestHost.Create(allowLoopback: false, resolver: Resolver());

        using var result = await host_.Client.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"http://{host}:{server.Port}/"));

        Assert.False(result.IsSuccess);
        Assert.Equal(OutboundErrorKind.TargetRefused, result.Failure.Kind);
        Assert.Equal("TARGET_REFUSED", result.Failure.Code);
        Assert.Equal(1, result.Attempts);
        Assert.Contains("in the loopback range (127.0.0.0/8)", result.Failure.Reason, StringComparison.Ordinal);
        Assert.IsType<OutboundRequestRefusedException>(result.Failure.Exception?.InnerException);
        Assert.DoesNotContain(host_.Logs.Entries, entry => entry.EventId.Id == 7002);
        Assert.Equal(0, server.Connections);
        Assert.Equal(0, server.Requests);
    }

    [Theory]
    [MemberData(nameof(LoopbackSpellings))]
    public async Task SendAsync_LoopbackWithLoopbackListed_Succeeds(string host)
    {
        await using var server = await LoopbackServer.StartAsync(Ok);
        await using var host_ = OutboundTestHost.Create(allowLoopback: true, resolver: Resolver());

        using var result = await host_.Client.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"http://{host}:{server.Port}/"));

        Assert.True(result.IsSuccess, result.Failure?.Reason);
        Assert.Equal("ok", await result.Response.Content.ReadAsStringAsync());
        Assert.Equal(1, server.Requests);
    }

    [Fact]
    public async Task SendAsync_Localhost_IsRefusedUnlessBothLoopbackFamiliesAreListed()
    {
        await using var server = await LoopbackServer.StartAsync(Ok);
        await using var refusing = OutboundTestHost.Create(allowLoopback: true);
        await using var allowing = OutboundTestHost.Create(allowLoopback: true, settings: new Dictionary<string, string?> { ["AllowedNetworks:1"] = "::1/128" });

        using var refused = await refusing.Client.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"http://localhost:{server.Port}/"));
        using var allowed = await allowing.Client.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"http://localhost:{server.Port}/"));

        Assert.Equal(OutboundErrorKind.TargetRefused, refused.Failure?.Kind);
        Assert.True(allowed.IsSuccess, allowed.Failure?.Reason);
        Assert.Equal(1, server.Requests);
    }

    [Fact]
    public async Task SendAsync_NameResolvedOnce_ConnectsToTheVettedAddressNotTheName()
    {
        // "rebind.test" exists only in the fake resolver: the connection can only succeed by dialling the address the
        // guard vetted, and the guard must have asked once per connection (no second lookup to be rebound).
        await using var server = await LoopbackServer.StartAsync(Ok);
        var resolver = new FakeHostResolver().Map("rebind.test", "127.0.0.1");
        await using var host = OutboundTestHost.Create(allowLoopback: true, resolver: resolver);

        using var result = await host.Client.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"http://rebind.test:{server.Port}/"));

        Assert.True(result.IsSuccess, result.Failure?.Reason);
        Assert.Equal(1, resolver.Lookups);
    }

    [Fact]
    public async Task SendAsync_Http3Request_StillPassesTheGuard()
    {
        // QUIC connections bypass ConnectCallback; the client keeps requests on HTTP/1.1 or 2 so the guard always runs.
        await using var server = await LoopbackServer.StartAsync(Ok);
        await using var host = OutboundTestHost.Create(allowLoopback: false);
        var request = new HttpRequestMessage(HttpMethod.Get, server.Url())
        {
            Version = HttpVersion.Version30,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };

        using var result = await host.Client.SendAsync(request);

        Assert.Equal(OutboundErrorKind.TargetRefused, result.Failure?.Kind);
        Assert.Equal(0, server.Connections);
    }

    [Fact]
    public async Task SendAsync_RefusedTarget_IsNeverRetried()
    {
        await using var server = await LoopbackServer.StartAsync(Ok);
        await using var host = OutboundTestHost.Create(allowLoopback: false);

        using var result = await host.Client.SendAsync(new HttpRequestMessage(HttpMethod.Get, server.Url()),
            new() { Strategy = RetryStrategies.Linear1s });

        Assert.Equal(1, result.Attempts);
        Assert.Empty(host.Time.Delays);
        Assert.Equal(0, server.Connections);
    }

    [Fact]
    public async Task SendAsync_RefusedTarget_IsLoggedWithHostAndReasonOnly()
    {
        await using var server = await LoopbackServer.StartAsync(Ok);
        await using var host = OutboundTestHost.Create(allowLoopback: false);

        using var result = await host.Client.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"http://user:pa55word@127.0.0.1:{server.Port}/p?token=t0ken"));

        var refusal = Assert.Single(host.Logs.Entries, entry => entry.EventId.Id == 7001);
        Assert.Contains("127.0.0.1", refusal.Message, StringComparison.Ordinal);
        Assert.All(host.Logs.Entries, entry => Assert.DoesNotContain("pa55word", entry.Message + entry.Values, StringComparison.Ordinal));
        Assert.All(host.Logs.Entries, entry => Assert.DoesNotContain("t0ken", entry.Message + entry.Values, StringComparison.Ordinal));
    }

    private static FakeHostResolver Resolver() => new FakeHostResolver().Map("loopback.test", "127.0.0.1");

    private static async Task Ok(HttpContext context, int _)
    {
        await context.Response.WriteAsync("ok");
    }
}
