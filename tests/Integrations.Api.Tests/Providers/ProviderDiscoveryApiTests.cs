using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using static Integrations.Api.Tests.HubFixture;

namespace Integrations.Api.Tests.Providers;

/// <summary>
/// The Server in the Development environment (http provider endpoints allowed) with the outbound guard open to
/// 127.0.0.1/32 only, and a loopback authorization server publishing its metadata document.
/// </summary>
public sealed class DiscoveryHubFixture : IAsyncLifetime
{
    private WebApplication? _idp;

    public HubFixture Hub { get; } = new() { Environment = "Development" };

    public Uri Issuer { get; private set; } = null!;

    /// <summary>What the metadata document says its issuer is; null: the issuer it is served for.</summary>
    public string? StatedIssuer { get; set; }

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        _idp = builder.Build();
        _idp.Run(ServeAsync);
        await _idp.StartAsync();
        var address = _idp.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        Issuer = new Uri($"http://127.0.0.1:{new Uri(address).Port}/");

        Hub.Settings["OutboundHttp:AllowedNetworks:0"] = "127.0.0.1/32";
        await Hub.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await Hub.DisposeAsync();
        if (_idp is not null)
        {
            await _idp.DisposeAsync();
        }
    }

    private Task ServeAsync(HttpContext context)
    {
        if (context.Request.Path != "/.well-known/openid-configuration")
        {
            context.Response.StatusCode = 404;
            return Task.CompletedTask;
        }

        var origin = Issuer.GetLeftPart(UriPartial.Authority);
        var json = $$"""
            {"issuer":"{{StatedIssuer ?? origin}}","authorization_endpoint":"{{origin}}/authorize","token_endpoint":"{{origin}}/token",
             "revocation_endpoint":"{{origin}}/revoke","jwks_uri":"{{origin}}/jwks"}
            """;
        context.Response.ContentType = "application/json";
        return context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(json)).AsTask();
    }
}

public sealed class ProviderDiscoveryApiTests(DiscoveryHubFixture fixture) : IClassFixture<DiscoveryHubFixture>
{
    [Fact]
    public async Task CreateByIssuer_LoopbackDiscoveryDocument_StoresTheIssuerAndHandSetOverrides()
    {
        fixture.StatedIssuer = null;
        var tenant = await fixture.Hub.CreateTenantAsync();
        using var client = fixture.Hub.Client(tenant.OwnerKey);

        var created = await Json(await client.PostAsJsonAsync(tenant.Providers, new
        {
            name = "local-idp",
            issuer = fixture.Issuer.AbsoluteUri,
            client_id = "hub",
            client_secret = "local-secret",
            endpoints = new { revocation = fixture.Issuer.AbsoluteUri + "custom-revoke" },
        }), HttpStatusCode.Created);

        Assert.Equal(fixture.Issuer.AbsoluteUri, (string?)created["issuer"]);
        Assert.Equal(fixture.Issuer.AbsoluteUri + "custom-revoke", (string?)created["endpoints"]!["revocation"]);
        // Pinned from the document at create time: the hand-set record always has a token endpoint.
        Assert.Equal(fixture.Issuer.AbsoluteUri + "token", (string?)created["endpoints"]!["token"]);
    }

    [Fact]
    public async Task CreateByIssuer_DocumentNamingAnotherIssuer_Returns400AndWritesNothing()
    {
        var tenant = await fixture.Hub.CreateTenantAsync();
        using var client = fixture.Hub.Client(tenant.OwnerKey);
        fixture.StatedIssuer = "https://mix-up.example.com";
        try
        {
            await Problem(await client.PostAsJsonAsync(tenant.Providers, new { name = "mixup", issuer = "http://127.0.0.2:" + fixture.Issuer.Port + "/", client_id = "hub", client_secret = "x" }),
                HttpStatusCode.BadRequest, "discovery-failed");
            await Problem(await client.PostAsJsonAsync(tenant.Providers, new { name = "mixup", issuer = fixture.Issuer.AbsoluteUri, client_id = "hub", client_secret = "x" }),
                HttpStatusCode.BadRequest, "discovery-failed");
        }
        finally
        {
            fixture.StatedIssuer = null;
        }

        Assert.Empty((await Json(await client.GetAsync(tenant.Providers), HttpStatusCode.OK))["data"]!.AsArray());
        Assert.Empty((await Json(await client.GetAsync(tenant.Secrets), HttpStatusCode.OK))["data"]!.AsArray());
    }
}
