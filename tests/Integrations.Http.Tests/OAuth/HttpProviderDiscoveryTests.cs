using System.Text;
using Integrations.Core.OAuth;
using Integrations.Http.OAuth;
using Integrations.Http.Resilience;
using Integrations.Http.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Integrations.Http.Tests.OAuth;

public sealed class HttpProviderDiscoveryTests
{
    [Fact]
    public async Task Discover_OpenIdConfiguration_ReadsEveryEndpoint()
    {
        await using var server = await LoopbackServer.StartAsync((context, _) => context.Request.Path == "/.well-known/openid-configuration"
            ? Document(context, Metadata(Issuer(context)))
            : NotFound(context));
        await using var host = OutboundTestHost.Create();
        var issuer = server.Url("/");

        var result = await Discovery(host).DiscoverAsync(issuer);

        Assert.True(result.IsSuccess, result.Error?.Message);
        var endpoints = result.Value!;
        Assert.Equal(issuer, endpoints.Issuer);
        Assert.Equal(server.Url("/authorize"), endpoints.Authorization);
        Assert.Equal(server.Url("/token"), endpoints.Token);
        Assert.Equal(server.Url("/revoke"), endpoints.Revocation);
        Assert.Equal(server.Url("/device"), endpoints.DeviceAuthorization);
        Assert.Equal(server.Url("/userinfo"), endpoints.UserInfo);
        Assert.Equal(server.Url("/jwks"), endpoints.JwksUri);
        Assert.True(endpoints.AuthorizationResponseIssParameterSupported);
    }

    [Fact]
    public async Task Discover_OnlyOAuthAuthorizationServerMetadata_FallsBackToRfc8414Path()
    {
        var paths = new List<string>();
        await using var server = await LoopbackServer.StartAsync((context, _) =>
        {
            lock (paths)
            {
                paths.Add(context.Request.Path);
            }

            return context.Request.Path == "/.well-known/oauth-authorization-server" ? Document(context, Metadata(Issuer(context))) : NotFound(context);
        });
        await using var host = OutboundTestHost.Create();

        var result = await Discovery(host).DiscoverAsync(server.Url("/"));

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Equal(["/.well-known/openid-configuration", "/.well-known/oauth-authorization-server"], paths);
    }

    [Fact]
    public async Task Discover_IssuerWithPath_InsertsTheWellKnownSegmentBeforeThePath()
    {
        string? requested = null;
        await using var server = await LoopbackServer.StartAsync((context, _) =>
        {
            if (context.Request.Path == "/.well-known/oauth-authorization-server/tenant1")
            {
                requested = context.Request.Path;
                return Document(context, Metadata(Issuer(context) + "tenant1"));
            }

            return NotFound(context);
        });
        await using var host = OutboundTestHost.Create();

        var result = await Discovery(host).DiscoverAsync(server.Url("/tenant1"));

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Equal("/.well-known/oauth-authorization-server/tenant1", requested);
        Assert.Equal(server.Url("/tenant1"), result.Value!.Issuer);
    }

    [Fact]
    public void WellKnownUrls_IssuerWithPath_FollowOidcDiscoveryAndRfc8414()
    {
        var urls = HttpProviderDiscovery.WellKnownUrls(new Uri("https://idp.example.com/tenant/v2/"));

        Assert.Equal("https://idp.example.com/tenant/v2/.well-known/openid-configuration", urls[0].AbsoluteUri);
        Assert.Equal("https://idp.example.com/.well-known/oauth-authorization-server/tenant/v2", urls[1].AbsoluteUri);
    }

    [Fact]
    public async Task Discover_DocumentNamingAnotherIssuer_IsRefused()
    {
        await using var server = await LoopbackServer.StartAsync((context, _) => Document(context, Metadata("https://other.example.com")));
        await using var host = OutboundTestHost.Create();

        var result = await Discovery(host).DiscoverAsync(server.Url("/"));

        Assert.False(result.IsSuccess);
        Assert.Equal(ProviderErrors.DiscoveryFailed, result.Error!.Code);
        Assert.Contains("issuer", result.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Discover_NotJson_IsRefused()
    {
        await using var server = await LoopbackServer.StartAsync((context, _) =>
        {
            context.Response.ContentType = "text/html";
            return context.Response.WriteAsync("<html>login</html>");
        });
        await using var host = OutboundTestHost.Create();

        var result = await Discovery(host).DiscoverAsync(server.Url("/"));

        Assert.Equal(ProviderErrors.DiscoveryFailed, result.Error?.Code);
        Assert.Contains("not JSON", result.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Discover_DocumentLargerThanTheCap_IsRefused()
    {
        await using var server = await LoopbackServer.StartAsync((context, _) =>
            Document(context, Metadata(Issuer(context)).Replace("}", $",\"padding\":\"{new string('x', 4096)}\"}}", StringComparison.Ordinal)));
        await using var host = OutboundTestHost.Create();

        var result = await Discovery(host, new OAuthOptions { MaxDiscoveryDocumentBytes = 2048 }).DiscoverAsync(server.Url("/"));

        Assert.Equal(ProviderErrors.DiscoveryFailed, result.Error?.Code);
        Assert.Contains("MaxDiscoveryDocumentBytes", result.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Discover_HttpIssuerOutsideDevelopment_IsRefusedBeforeAnyRequest()
    {
        // Port 1 has no listener: a request would fail differently; the policy refuses the http issuer first.
        await using var host = OutboundTestHost.Create();

        var result = await Discovery(host, policy: new OAuthEndpointPolicy(requireHttps: true)).DiscoverAsync(new Uri("http://127.0.0.1:1/"));

        Assert.Equal(ProviderErrors.DiscoveryFailed, result.Error?.Code);
    }

    [Fact]
    public async Task Discover_DocumentWithRelativeEndpoint_IsRefused()
    {
        await using var server = await LoopbackServer.StartAsync((context, _) =>
            Document(context, $$"""{"issuer":"{{Issuer(context)}}","token_endpoint":"/token"}"""));
        await using var host = OutboundTestHost.Create();

        var result = await Discovery(host).DiscoverAsync(server.Url("/"));

        Assert.Equal(ProviderErrors.DiscoveryFailed, result.Error?.Code);
    }

    [Fact]
    public async Task Discover_HostResolvingOffLoopback_IsRefusedByTheGuardWithoutASocket()
    {
        // The name resolves to a private address outside OutboundHttp:AllowedNetworks (127.0.0.0/8 only): the guard
        // decides at connect time, before any socket to 10.0.0.5 is opened (the fake resolver means no DNS either).
        var resolver = new FakeHostResolver().Map("idp.internal.example", "10.0.0.5");
        await using var host = OutboundTestHost.Create(resolver: resolver);

        var result = await Discovery(host).DiscoverAsync(new Uri("http://idp.internal.example/"));

        Assert.Equal(ProviderErrors.DiscoveryFailed, result.Error?.Code);
        Assert.Contains("10.0.0.5", result.Error!.Message, StringComparison.Ordinal);
        Assert.True(resolver.Lookups >= 1);
        Assert.Contains(host.Logs.Entries, e => e.EventId.Id == 7001);
    }

    private static HttpProviderDiscovery Discovery(OutboundTestHost host, OAuthOptions? options = null, OAuthEndpointPolicy? policy = null) =>
        new(host.Client, policy ?? new OAuthEndpointPolicy(requireHttps: false), Options.Create(options ?? new OAuthOptions()), NullLogger<HttpProviderDiscovery>.Instance);

    private static string Issuer(HttpContext context) => $"http://{context.Request.Host}/";

    private static string Metadata(string issuer)
    {
        var root = issuer.TrimEnd('/');
        var origin = new Uri(issuer).GetLeftPart(UriPartial.Authority);
        return $$"""
            {"issuer":"{{root}}","authorization_endpoint":"{{origin}}/authorize","token_endpoint":"{{origin}}/token","revocation_endpoint":"{{origin}}/revoke",
             "device_authorization_endpoint":"{{origin}}/device","userinfo_endpoint":"{{origin}}/userinfo","jwks_uri":"{{origin}}/jwks",
             "authorization_response_iss_parameter_supported":true}
            """;
    }

    private static Task Document(HttpContext context, string json)
    {
        context.Response.ContentType = "application/json";
        return context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(json)).AsTask();
    }

    private static Task NotFound(HttpContext context)
    {
        context.Response.StatusCode = 404;
        return Task.CompletedTask;
    }
}
