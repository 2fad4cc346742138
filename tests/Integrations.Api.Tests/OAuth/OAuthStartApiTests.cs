using System.Net;
using Integrations.Api.OAuth;
using Integrations.Core.OAuth.Flows;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Net.Http.Headers;
using static Integrations.Api.Tests.HubFixture;

namespace Integrations.Api.Tests.OAuth;

/// <summary>GET /v1/oauth/start through the real Server: the cookie, the redirect, single use, and the refusal pages.</summary>
public sealed class OAuthStartApiTests(HubFixture hub) : IClassFixture<HubFixture>
{
    [Fact]
    public async Task Start_FirstOpening_SetsAHostOnlySecureHttpOnlyLaxCookieAndRedirectsToTheAuthorizationUrl()
    {
        var tenant = await hub.CreateTenantAsync();
        var (flow, values) = await OAuthFlows.StartAsync(hub.Services, tenant);
        using var browser = OAuthFlows.BrowserWithoutRedirects(hub);

        using var response = await browser.GetAsync(OAuthFlows.StartPath(flow));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(flow.AuthorizationUrl, response.Headers.Location);
        Assert.Equal("no-referrer", string.Join(",", response.Headers.GetValues("Referrer-Policy")));
        var cookie = SetCookieHeaderValue.Parse(Assert.Single(response.Headers.GetValues("Set-Cookie")));
        Assert.StartsWith("__Host-ihub-oauth-", cookie.Name.Value, StringComparison.Ordinal);
        Assert.True(cookie.HttpOnly);
        Assert.True(cookie.Secure); // Production (the fixture's environment).
        Assert.Equal(SameSiteMode.Lax, cookie.SameSite);
        Assert.Equal("/", cookie.Path.Value);
        Assert.Null(cookie.Domain.Value);
        Assert.InRange(cookie.MaxAge!.Value, TimeSpan.FromMinutes(9), TimeSpan.FromMinutes(10));

        // The cookie is what the callback needs: without it the state is refused, with it the state is consumed.
        var states = hub.Services.GetRequiredService<OAuthStateService>();
        var elsewhere = await states.ConsumeAsync(values.State, OAuthFlows.Issuer, _ => null);
        var here = await states.ConsumeAsync(values.State, OAuthFlows.Issuer, name => cookie.Name.Value!.EndsWith(name, StringComparison.Ordinal) ? cookie.Value.Value : null);
        Assert.Equal(OAuthStateRefusal.BindingMissing, elsewhere.Refusal);
        Assert.True(here.IsSuccess);
    }

    [Fact]
    public async Task Start_SecondOpening_Answers410PageWithoutScriptOrCookie()
    {
        var tenant = await hub.CreateTenantAsync();
        var (flow, _) = await OAuthFlows.StartAsync(hub.Services, tenant);
        using var browser = OAuthFlows.BrowserWithoutRedirects(hub);
        browser.DefaultRequestHeaders.Accept.ParseAdd("text/html,application/xhtml+xml,*/*;q=0.8");
        (await browser.GetAsync(OAuthFlows.StartPath(flow))).Dispose();

        using var again = await browser.GetAsync(OAuthFlows.StartPath(flow));
        var html = await again.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Gone, again.StatusCode);
        Assert.Equal("text/html", again.Content.Headers.ContentType?.MediaType);
        Assert.Equal(OAuthPage.ContentSecurityPolicy, string.Join(",", again.Headers.GetValues("Content-Security-Policy")));
        Assert.Contains(OAuthErrors.StartLinkUsed, html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(flow.StartUrl.Query["?t=".Length..], html, StringComparison.Ordinal);
        Assert.False(again.Headers.Contains("Set-Cookie"));
        Assert.Null(again.Headers.Location);
    }

    [Theory]
    [InlineData("/v1/oauth/start")]
    [InlineData("/v1/oauth/start?t=short")]
    [InlineData("/v1/oauth/start?t=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task Start_UnknownLink_AnswersA404ProblemToApiClients(string path)
    {
        using var client = hub.Client();
        client.DefaultRequestHeaders.Accept.ParseAdd("application/json");

        using var response = await client.GetAsync(path);

        await Problem(response, HttpStatusCode.NotFound, OAuthErrors.StartLinkUnknown);
    }

    [Fact]
    public async Task Start_StateValueInsteadOfStartToken_IsUnknown()
    {
        var tenant = await hub.CreateTenantAsync();
        var (_, values) = await OAuthFlows.StartAsync(hub.Services, tenant);
        using var browser = OAuthFlows.BrowserWithoutRedirects(hub);

        using var response = await browser.GetAsync("/v1/oauth/start?t=" + values.State);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Start_ConcurrentOpenings_ExactlyOneRedirects()
    {
        var tenant = await hub.CreateTenantAsync();
        var (flow, _) = await OAuthFlows.StartAsync(hub.Services, tenant);
        using var browser = OAuthFlows.BrowserWithoutRedirects(hub);

        var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => browser.GetAsync(OAuthFlows.StartPath(flow))));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Redirect);
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.Redirect), r => Assert.Equal(HttpStatusCode.Gone, r.StatusCode));
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }
}

/// <summary>A hub whose clock the test moves, for expiry.</summary>
public sealed class FakeClockHub : IAsyncLifetime, IDisposable
{
    public FakeTimeProvider Time { get; } = new(TimeProvider.System.GetUtcNow());

    public HubFixture Hub { get; } = new();

    public async Task InitializeAsync()
    {
        Hub.ConfigureServices = services => services.AddSingleton<TimeProvider>(Time);
        await Hub.InitializeAsync();
    }

    public Task DisposeAsync() => Hub.DisposeAsync();

    public void Dispose() => Hub.Dispose();
}

public sealed class OAuthStartExpiryApiTests(FakeClockHub fixture) : IClassFixture<FakeClockHub>
{
    [Fact]
    public async Task Start_AfterTheLinkExpired_Answers410AndSetsNoCookie()
    {
        var tenant = await fixture.Hub.CreateTenantAsync();
        var (flow, _) = await OAuthFlows.StartAsync(fixture.Hub.Services, tenant);
        using var browser = OAuthFlows.BrowserWithoutRedirects(fixture.Hub);

        fixture.Time.Advance(TimeSpan.FromMinutes(2));
        using var response = await browser.GetAsync(OAuthFlows.StartPath(flow));

        Assert.Equal(HttpStatusCode.Gone, response.StatusCode);
        Assert.Contains(OAuthErrors.StartLinkExpired, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }
}
