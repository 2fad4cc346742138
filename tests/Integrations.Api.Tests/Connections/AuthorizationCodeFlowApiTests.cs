using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Azure;
using Azure.Data.Tables;
using Integrations.Api.OAuth;
using Integrations.Azure.Tables;
using Integrations.Core.OAuth.Flows;
using Integrations.Testing;
using Integrations.Testing.OAuth;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using static Integrations.Api.Tests.HubFixture;

namespace Integrations.Api.Tests.Connections;

/// <summary>
/// The authorization code flow through the real Server against OpenIddict: authorize → start link (cookie) → provider (scripted
/// user) → callback → active, and every way a callback can be wrong — each refused with a page and nothing stored.
/// </summary>
public sealed class AuthorizationCodeFlowApiTests(ConnectFlowFixture f) : IClassFixture<ConnectFlowFixture>
{
    private static readonly string[] OpenIdScopes = ["openid", "profile", "email", "api"];

    [Fact]
    public async Task AuthorizeAndCallback_ScriptedUserConsents_ConnectsWithAccountAndRetrievableToken()
    {
        var (tenant, connectionId) = await ConnectionAsync();
        using var browser = ConnectFlowFixture.Browser();

        var flow = await AuthorizeAsync(tenant, connectionId, ConnectFlowFixture.AppOrigin + "/done?x=1");
        var callback = await ThroughProviderAsync(browser, flow);
        using var response = await browser.GetAsync(callback);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(new Uri(ConnectFlowFixture.AppOrigin + "/done?x=1"), response.Headers.Location);
        var query = QueryHelpers.ParseQuery(new Uri((string)flow["authorization_url"]!).Query);
        Assert.Equal("S256", query["code_challenge_method"].ToString());
        Assert.Equal(new Uri(f.HubBase, "v1/oauth/callback").AbsoluteUri, query["redirect_uri"].ToString());
        Assert.False(string.IsNullOrEmpty(query["nonce"].ToString()));
        var status = await f.StatusAsync(tenant, connectionId);
        Assert.Equal("active", (string?)status["status"]);
        Assert.Equal(OpenIddictTestServer.UserSubject, (string?)status["account"]!["subject"]);
        Assert.Equal(OpenIddictTestServer.UserEmail, (string?)status["account"]!["email"]);
        Assert.Equal(OpenIddictTestServer.UserDisplayName, (string?)status["account"]!["name"]);
        Assert.Contains("api", status["granted_scopes"]!.AsArray().Select(s => (string?)s));
        Assert.False(string.IsNullOrEmpty((string?)status["authorized_by"]));
        var (token, error) = await f.StoredTokenAsync(tenant, connectionId);
        Assert.Null(error);
        Assert.False(string.IsNullOrEmpty(token));
    }

    [Fact]
    public async Task Callback_NoRedirectAfter_ShowsSuccessPageWithoutScript()
    {
        var (tenant, connectionId) = await ConnectionAsync();
        using var browser = ConnectFlowFixture.Browser();
        var flow = await AuthorizeAsync(tenant, connectionId, redirectAfter: null);

        using var response = await browser.GetAsync(await ThroughProviderAsync(browser, flow));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(OAuthPage.ContentSecurityPolicy, string.Join(",", response.Headers.GetValues("Content-Security-Policy")));
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("active", (string?)(await f.StatusAsync(tenant, connectionId))["status"]);
    }

    [Fact]
    public async Task Callback_Replayed_RefusedAsUsedWithoutASecondCodeExchange()
    {
        var (tenant, connectionId) = await ConnectionAsync();
        using var browser = ConnectFlowFixture.Browser();
        var callback = await ThroughProviderAsync(browser, await AuthorizeAsync(tenant, connectionId));
        (await browser.GetAsync(callback)).Dispose();
        var exchanges = f.Idp.TokenRequests("authorization_code");

        using var replay = await browser.GetAsync(callback);

        await AssertRefusedPageAsync(replay, OAuthErrors.StateUsed, callback);
        Assert.Equal(exchanges, f.Idp.TokenRequests("authorization_code"));
    }

    [Fact]
    public async Task Callback_TwoConcurrentWithOneState_ExactlyOneConnects()
    {
        var (tenant, connectionId) = await ConnectionAsync();
        using var browser = ConnectFlowFixture.Browser();
        var callback = await ThroughProviderAsync(browser, await AuthorizeAsync(tenant, connectionId));
        var exchanges = f.Idp.TokenRequests("authorization_code");

        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => browser.GetAsync(callback)));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Redirect);
        foreach (var refused in responses.Where(r => r.StatusCode != HttpStatusCode.Redirect))
        {
            await AssertRefusedPageAsync(refused, OAuthErrors.StateUsed, callback);
        }

        Assert.Equal(exchanges + 1, f.Idp.TokenRequests("authorization_code"));
        Assert.Equal("active", (string?)(await f.StatusAsync(tenant, connectionId))["status"]);
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task Callback_InAnotherBrowser_RefusedAndTheOwnBrowserCanStillFinish()
    {
        var (tenant, connectionId) = await ConnectionAsync();
        using var victim = ConnectFlowFixture.Browser();
        using var other = ConnectFlowFixture.Browser();
        var callback = await ThroughProviderAsync(victim, await AuthorizeAsync(tenant, connectionId));

        using var elsewhere = await other.GetAsync(callback);

        await AssertRefusedPageAsync(elsewhere, OAuthErrors.BindingMissing, callback);
        await f.AssertNothingStoredAsync(tenant, connectionId);
        using var own = await victim.GetAsync(callback);
        Assert.Equal(HttpStatusCode.Redirect, own.StatusCode);
    }

    [Fact]
    public async Task Callback_WrongIss_RefusedAsMixUp()
    {
        var (tenant, connectionId) = await ConnectionAsync();
        using var browser = ConnectFlowFixture.Browser();
        var callback = await ThroughProviderAsync(browser, await AuthorizeAsync(tenant, connectionId));
        var query = QueryHelpers.ParseQuery(callback.Query);
        Assert.Equal(f.Idp.Issuer.AbsoluteUri, query["iss"].ToString());

        using var wrong = await browser.GetAsync(WithQuery(callback, ("iss", "http://127.0.0.1:9/")));
        using var missing = await browser.GetAsync(WithQuery(callback, ("iss", null)));

        await AssertRefusedPageAsync(wrong, OAuthErrors.IssuerMismatch, callback);
        await AssertRefusedPageAsync(missing, OAuthErrors.IssuerMissing, callback);
        await f.AssertNothingStoredAsync(tenant, connectionId);
    }

    [Fact]
    public async Task Callback_ProviderError_ShownAndNeverSuccess()
    {
        var (tenant, connectionId) = await ConnectionAsync();
        using var browser = ConnectFlowFixture.Browser();
        var flow = await AuthorizeAsync(tenant, connectionId);
        Uri callback;
        f.Idp.UserDeniesConsent = true;
        try
        {
            callback = await ThroughProviderAsync(browser, flow);
        }
        finally
        {
            f.Idp.UserDeniesConsent = false;
        }

        using var response = await browser.GetAsync(callback);
        var html = await AssertRefusedPageAsync(response, ConnectFlowErrors.ProviderError, callback);

        Assert.Contains("access_denied", html, StringComparison.Ordinal);
        Assert.Null(response.Headers.Location);
        await f.AssertNothingStoredAsync(tenant, connectionId);
    }

    [Theory]
    [InlineData("/v1/oauth/callback")]
    [InlineData("/v1/oauth/callback?code=abc")]
    [InlineData("/v1/oauth/callback?code=abc&state=")]
    public async Task Callback_WithoutState_RefusedAsUnknown(string path)
    {
        using var browser = ConnectFlowFixture.Browser();
        browser.BaseAddress = f.Hub.BaseAddress;

        using var response = await browser.GetAsync(path);

        await AssertRefusedPageAsync(response, OAuthErrors.StateUnknown, null);
    }

    [Fact]
    public async Task Callback_CodeOfAnotherFlow_PkceMismatchRefusedByTheProviderAndNothingStored()
    {
        var (tenant, connectionId) = await ConnectionAsync();
        using var browser = ConnectFlowFixture.Browser();
        var mine = await ThroughProviderAsync(browser, await AuthorizeAsync(tenant, connectionId));
        var injected = await ThroughProviderAsync(browser, await AuthorizeAsync(tenant, connectionId));
        var injectedCode = QueryHelpers.ParseQuery(injected.Query)["code"].ToString();

        using var response = await browser.GetAsync(WithQuery(mine, ("code", injectedCode)));

        await AssertRefusedPageAsync(response, ConnectFlowErrors.GrantRefused, mine);
        await f.AssertNothingStoredAsync(tenant, connectionId);
    }

    [Fact]
    public async Task Authorize_RedirectAfterOutsideAllowedOrigins_Returns400AndStartsNothing()
    {
        var (tenant, connectionId) = await ConnectionAsync();
        using var client = f.Hub.Client(tenant.OwnerKey);
        var states = f.Hub.Services.GetRequiredService<HubTables>().OAuthStates;
        var before = await CountStatesAsync(states, connectionId);

        var response = await client.PostAsJsonAsync(Authorize(tenant, connectionId), new { redirect_after = "http://127.0.0.1:6000/steal" });
        var userInfo = await client.PostAsJsonAsync(Authorize(tenant, connectionId), new { redirect_after = ConnectFlowFixture.AppOrigin + "@evil.example/" });

        await Problem(response, HttpStatusCode.BadRequest, OAuthErrors.RedirectOriginNotAllowed);
        await Problem(userInfo, HttpStatusCode.BadRequest, OAuthErrors.InvalidRedirectAfter);
        Assert.Equal(before, await CountStatesAsync(states, connectionId));
    }

    [Fact]
    public async Task Authorize_DeviceConnection_Returns400NotForType()
    {
        var tenant = await f.TenantAsync();
        var provider = await f.ProviderAsync(tenant);
        var connectionId = await f.ConnectionAsync(tenant, provider, "oauth2_device", "api");
        using var client = f.Hub.Client(tenant.OwnerKey);

        var response = await client.PostAsJsonAsync(Authorize(tenant, connectionId), new { });

        await Problem(response, HttpStatusCode.BadRequest, ConnectFlowErrors.WrongConnectionType);
    }

    [Fact]
    public async Task Callback_IdTokenWithAnotherFlowsNonce_RefusedAndNothingStored()
    {
        var tenant = await f.TenantAsync();
        var provider = await f.ProviderAsync(tenant, endpoints: new { token = f.Scripted.TokenEndpoint.AbsoluteUri });
        var connectionId = await f.ConnectionAsync(tenant, provider, "oauth2_authorization_code", OpenIdScopes);
        var foreignIdToken = await IdTokenAsync(OpenIddictTestServer.ClientId, nonce: "n-" + TestRandom.Hex(16));
        f.Scripted.Enqueue(ScriptedResponse.Token(idToken: foreignIdToken, scope: "openid api"));
        using var browser = ConnectFlowFixture.Browser();
        var callback = await ThroughProviderAsync(browser, await AuthorizeAsync(tenant, connectionId));

        using var response = await browser.GetAsync(callback);

        await AssertRefusedPageAsync(response, ConnectFlowErrors.IdTokenInvalid, callback);
        await f.AssertNothingStoredAsync(tenant, connectionId);
    }

    [Fact]
    public async Task Callback_IdTokenForAnotherAudience_RefusedAndNothingStored()
    {
        var tenant = await f.TenantAsync();
        var provider = await f.ProviderAsync(tenant, endpoints: new { token = f.Scripted.TokenEndpoint.AbsoluteUri });
        var connectionId = await f.ConnectionAsync(tenant, provider, "oauth2_authorization_code", OpenIdScopes);
        using var browser = ConnectFlowFixture.Browser();
        var flow = await AuthorizeAsync(tenant, connectionId);
        // The right nonce (this flow's), but issued to the public client: aud is not the provider's client id.
        var nonce = QueryHelpers.ParseQuery(new Uri((string)flow["authorization_url"]!).Query)["nonce"].ToString();
        f.Scripted.Enqueue(ScriptedResponse.Token(idToken: await IdTokenAsync(OpenIddictTestServer.PublicClientId, nonce), scope: "openid api"));
        var callback = await ThroughProviderAsync(browser, flow);

        using var response = await browser.GetAsync(callback);

        await AssertRefusedPageAsync(response, ConnectFlowErrors.IdTokenInvalid, callback);
        await f.AssertNothingStoredAsync(tenant, connectionId);
    }

    [Fact]
    public async Task Callback_StateRowRepointedAtAnotherProjectsConnection_RefusedAndVictimUntouched()
    {
        // The attacker can write the states table: they start a flow in their own project and re-point its row at the victim's.
        var (victim, victimConnection) = await ConnectionAsync();
        var (attacker, attackerConnection) = await ConnectionAsync();
        using var browser = ConnectFlowFixture.Browser();
        var callback = await ThroughProviderAsync(browser, await AuthorizeAsync(attacker, attackerConnection));
        var table = f.Hub.Services.GetRequiredService<HubTables>().OAuthStates;
        var row = await table.QueryAsync<TableEntity>(e => e.RowKey == "state").Where(e => e.GetString("ConnectionId") == attackerConnection).SingleAsync();

        await table.UpdateEntityAsync(new TableEntity(row.PartitionKey, row.RowKey)
        {
            ["OrganizationId"] = victim.OrganizationId, ["ProjectId"] = victim.ProjectId, ["ConnectionId"] = victimConnection,
        }, ETag.All, TableUpdateMode.Merge);
        using var response = await browser.GetAsync(callback);

        await AssertRefusedPageAsync(response, OAuthErrors.StateUnknown, callback);
        await f.AssertNothingStoredAsync(victim, victimConnection);
        await f.AssertNothingStoredAsync(attacker, attackerConnection);
    }

    [Fact]
    public async Task ConnectRoutes_OtherOrganizationsKey_Returns404()
    {
        var (victim, connectionId) = await ConnectionAsync();
        var attacker = await f.TenantAsync("Attacker");
        using var client = f.Hub.Client(attacker.OwnerKey);

        foreach (var route in new[] { "authorize", "device", "grant" })
        {
            using var response = await client.PostAsJsonAsync($"/v1/projects/{victim.ProjectId}/connections/{connectionId}/{route}", new { grant_type = "password" });
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        await f.AssertNothingStoredAsync(victim, connectionId);
        Assert.Equal(0, await CountStatesAsync(f.Hub.Services.GetRequiredService<HubTables>().OAuthStates, connectionId));
    }

    private async Task<(Tenant Tenant, string ConnectionId)> ConnectionAsync()
    {
        var tenant = await f.TenantAsync();
        var provider = await f.ProviderAsync(tenant);
        return (tenant, await f.ConnectionAsync(tenant, provider, "oauth2_authorization_code", OpenIdScopes));
    }

    private static string Authorize(Tenant tenant, string connectionId) => $"/v1/projects/{tenant.ProjectId}/connections/{connectionId}/authorize";

    private async Task<JsonNode> AuthorizeAsync(Tenant tenant, string connectionId, string? redirectAfter = ConnectFlowFixture.AppOrigin + "/done")
    {
        using var client = f.Hub.Client(tenant.OwnerKey);
        return await Json(await client.PostAsJsonAsync(Authorize(tenant, connectionId), new { redirect_after = redirectAfter }), HttpStatusCode.OK);
    }

    /// <summary>The browser opens the start link (gets the cookie), goes to the provider; the scripted user answers. Returns the callback URL.</summary>
    private async Task<Uri> ThroughProviderAsync(HttpClient browser, JsonNode flow)
    {
        using var start = await browser.GetAsync(new Uri((string)flow["start_url"]!));
        Assert.Equal(HttpStatusCode.Redirect, start.StatusCode);
        Assert.Equal(new Uri((string)flow["authorization_url"]!), start.Headers.Location);
        var callback = await f.Idp.AuthorizeAsync(start.Headers.Location!);
        Assert.Equal(new Uri(f.HubBase, "v1/oauth/callback").AbsolutePath, callback.AbsolutePath);
        return callback;
    }

    private static async Task<string> AssertRefusedPageAsync(HttpResponseMessage response, string code, Uri? callback)
    {
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"Expected 400, got {(int)response.StatusCode}: {html}");
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(OAuthPage.ContentSecurityPolicy, string.Join(",", response.Headers.GetValues("Content-Security-Policy")));
        Assert.Contains("<code>" + code + "</code>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        if (callback is not null)
        {
            var query = QueryHelpers.ParseQuery(callback.Query);
            foreach (var secret in new[] { "code", "state" })
            {
                if (query.TryGetValue(secret, out var values) && values.ToString() is { Length: > 0 } value)
                {
                    Assert.DoesNotContain(value, html, StringComparison.Ordinal);
                }
            }
        }

        return html;
    }

    private static Uri WithQuery(Uri url, params (string Name, string? Value)[] changes)
    {
        var query = QueryHelpers.ParseQuery(url.Query).ToDictionary(p => p.Key, p => (string?)p.Value.ToString());
        foreach (var (name, value) in changes)
        {
            if (value is null)
            {
                query.Remove(name);
            }
            else
            {
                query[name] = value;
            }
        }

        return new Uri(QueryHelpers.AddQueryString(url.GetLeftPart(UriPartial.Path), query));
    }

    private static async Task<int> CountStatesAsync(TableClient table, string connectionId) =>
        await table.QueryAsync<TableEntity>(e => e.RowKey == "state").CountAsync(e => e.GetString("ConnectionId") == connectionId);

    private async Task<string> IdTokenAsync(string clientId, string nonce) => (string)(await f.ProviderTokensAsync(clientId, nonce))["id_token"]!;
}

/// <summary>Expiry: the Server's clock moves past the state's lifetime while the user is at the provider.</summary>
public sealed class ExpiredStateFlowApiTests(FakeClockConnectFlowFixture f) : IClassFixture<FakeClockConnectFlowFixture>
{
    [Fact]
    public async Task Callback_AfterTheStatesLifetime_RefusedAsExpiredAndNothingStored()
    {
        var tenant = await f.TenantAsync();
        var provider = await f.ProviderAsync(tenant);
        var connectionId = await f.ConnectionAsync(tenant, provider, "oauth2_authorization_code", "api");
        using var client = f.Hub.Client(tenant.OwnerKey);
        var flow = await Json(await client.PostAsJsonAsync($"/v1/projects/{tenant.ProjectId}/connections/{connectionId}/authorize", new { }), HttpStatusCode.OK);
        using var browser = ConnectFlowFixture.Browser();
        using var start = await browser.GetAsync(new Uri((string)flow["start_url"]!));
        var callback = await f.Idp.AuthorizeAsync(start.Headers.Location!);

        f.Clock!.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1));
        using var response = await browser.GetAsync(callback);
        var html = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, html);
        Assert.True(html.Contains("<code>" + OAuthErrors.StateExpired + "</code>", StringComparison.Ordinal), html);
        await f.AssertNothingStoredAsync(tenant, connectionId);
    }
}
