using System.Net;
using Integrations.Testing;
using Microsoft.Playwright;

namespace Integrations.Server.Tests.AdminPage;

/// <summary>
/// The admin page in headless Chromium against the real Server: what an admin does with it. Each test makes the objects
/// it acts on (so tests do not depend on one another's order) and waits on what the page shows, never on time.
/// </summary>
[Collection(AdminPageGroup.Name)]
public sealed class AdminPageBrowserTests(AdminPageFixture f)
{
    [Fact]
    public async Task SignIn_WithApiKey_ShowsConnectionsSourcesAndEndpointsAndKeepsTheKeyOutOfStorage()
    {
        // Arrange: one of each thing the page lists.
        var connection = await BearerConnectionAsync("listed");
        var source = await f.SendAsync(HttpMethod.Post, f.Project("webhook-sources"), f.ApiKey, new { name = "stripe-" + TestRandom.Hex(3), scheme = "stripe", secret = "whsec_admin_page_test" }, HttpStatusCode.Created);
        var (endpoint, _) = await EndpointAsync();

        // Act
        var page = await f.SignedInPageAsync();
        await page.WaitForSelectorAsync($"[data-source-id='{(string)source["id"]!}']");
        await page.WaitForSelectorAsync($"[data-endpoint-id='{endpoint}'] dl");
        var card = page.Locator($"[data-connection-id='{connection}']");
        await card.Locator("[data-badge='status']").WaitForAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(AdminPageFixture.ArtifactsDirectory, "admin-page.png"), FullPage = true });

        // Assert: the connection with its badges and times, the source's URL as the hub gives it out.
        Assert.Equal("active", await card.Locator("[data-badge='status']").TextContentAsync());
        Assert.Equal("untested", await card.Locator("[data-badge='test']").TextContentAsync());
        Assert.Contains("Last used", await card.TextContentAsync(), StringComparison.Ordinal);
        Assert.Equal((string)source["url"]!, await page.Locator($"[data-source-id='{(string)source["id"]!}'] [data-role='source-url']").TextContentAsync());
        // The key lives in the page's memory only: no storage, no cookie, not in the URL, not left in the input.
        Assert.Equal(0, await page.EvaluateAsync<int>("() => localStorage.length + sessionStorage.length"));
        Assert.Empty(await page.Context.CookiesAsync());
        Assert.DoesNotContain(f.ApiKey, page.Url, StringComparison.Ordinal);
        Assert.Equal("", await page.InputValueAsync("#api-key"));
        Assert.True(File.Exists(Path.Combine(AdminPageFixture.ArtifactsDirectory, "admin-page.png")));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task SignIn_WithEmailAndPassword_ShowsTheProjectsOfTheirOrganization()
    {
        // Arrange: a person (their personal organization) with a project.
        var email = $"admin-{TestRandom.Hex(6)}@example.com";
        const string password = "Kettle-Harbour-Quartz-91";
        var tokens = await f.SendAsync(HttpMethod.Post, "v1/auth/signup", "", new { email, password }, HttpStatusCode.Created);
        var project = (string)(await f.SendAsync(HttpMethod.Post, "v1/projects", (string)tokens["access_token"]!, new { name = "personal-project" }, HttpStatusCode.Created))["id"]!;
        var page = await f.NewPageAsync();
        await page.GotoAsync("/admin");
        await page.WaitForSelectorAsync("body[data-ready='true']");

        // Act
        await page.FillAsync("#email", email);
        await page.FillAsync("#password", password);
        await page.ClickAsync("#login-form button[type=submit]");

        // Assert: signed in as them, their project chosen and listed (empty), nothing stored in the browser.
        await Assertions.Expect(page.Locator("#who-text")).ToHaveTextAsync(email);
        await Assertions.Expect(page.Locator("#connection-list")).ToContainTextAsync("No connections yet.");
        Assert.Equal(project, await page.InputValueAsync("#project"));
        Assert.Equal(0, await page.EvaluateAsync<int>("() => localStorage.length + sessionStorage.length"));
        Assert.Empty(await page.Context.CookiesAsync());
        Assert.Equal("", await page.InputValueAsync("#password"));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task TestButton_OnBearerConnection_ChangesTheTestBadge()
    {
        // Arrange
        var connection = await BearerConnectionAsync("tested");
        var page = await f.SignedInPageAsync();
        var card = page.Locator($"[data-connection-id='{connection}']");
        await Assertions.Expect(card.Locator("[data-badge='test']")).ToHaveTextAsync("untested");

        // Act
        await card.Locator("[data-action='test']").ClickAsync();

        // Assert: the hub sent the test request to the receiver, and the badge and result show it.
        await Assertions.Expect(card.Locator("[data-badge='test']")).ToHaveTextAsync("test passed", new() { Timeout = AdminPageFixture.WaitMilliseconds });
        await Assertions.Expect(card.Locator("[data-role='test-result']")).ToContainTextAsync("Test passed");
        Assert.Contains(f.Received, r => r.Path == "/ping-" + connection);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task ConnectButton_ThroughLoopbackOAuthServerInPopup_TurnsConnectionActive()
    {
        // Arrange: an authorization-code connection on the OpenIddict server, pending until connected.
        var created = await f.SendAsync(HttpMethod.Post, f.Project("connections"), f.ApiKey, new
        {
            name = "oauth-" + TestRandom.Hex(4),
            type = "oauth2_authorization_code",
            provider_id = f.ProviderId,
            scopes = new[] { "openid", "profile", "email", "api" },
        }, HttpStatusCode.Created);
        var connection = (string)created["id"]!;
        var page = await f.SignedInPageAsync();
        var card = page.Locator($"[data-connection-id='{connection}']");
        await Assertions.Expect(card.Locator("[data-badge='status']")).ToHaveTextAsync("pending");

        // Act: Connect opens the popup, which goes through the start link, the provider and the hub's callback.
        var popup = await page.RunAndWaitForPopupAsync(() => card.Locator("[data-action='connect']").ClickAsync());

        // Assert
        await Assertions.Expect(card.Locator("[data-badge='status']")).ToHaveTextAsync("active", new() { Timeout = AdminPageFixture.WaitMilliseconds });
        await Assertions.Expect(card.Locator("[data-role='test-result']")).ToHaveTextAsync("Connected.");
        var status = await f.SendAsync(HttpMethod.Get, f.Project($"connections/{connection}/status"), f.ApiKey, null, HttpStatusCode.OK);
        Assert.Equal("active", (string?)status["status"]);
        Assert.Contains("api", status["granted_scopes"]!.AsArray().Select(s => (string?)s));
        Assert.True(popup.IsClosed || popup.Url.Contains("/v1/oauth/callback", StringComparison.Ordinal), popup.Url);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task ReplayButton_OnEndpointAttempt_DeliversTheMessageAgain()
    {
        // Arrange: an endpoint on the receiver and a message delivered to it once.
        var (endpoint, path) = await EndpointAsync();
        var marker = "replay-" + TestRandom.Hex(6);
        await f.SendAsync(HttpMethod.Post, f.Project("messages"), f.ApiKey, new { event_type = "order.paid", payload = new { marker } }, HttpStatusCode.Accepted);
        await AdminPageFixture.EventuallyAsync(() => Deliveries(path, marker) == 1, "the first delivery");
        // The receiver's 200 arrives before the hub records the attempt: the page lists what is recorded.
        await AdminPageFixture.EventuallyAsync(
            async () => (await f.SendAsync(HttpMethod.Get, f.Project($"webhook-endpoints/{endpoint}/attempts"), f.ApiKey, null, HttpStatusCode.OK))["data"]!.AsArray().Count == 1,
            "the first attempt on record");
        var page = await f.SignedInPageAsync();
        var card = page.Locator($"[data-endpoint-id='{endpoint}']");
        await card.Locator("[data-action='replay']").First.WaitForAsync();

        // Act
        await card.Locator("[data-action='replay']").First.ClickAsync();

        // Assert: the page says it is queued, and the receiver gets the message a second time.
        await Assertions.Expect(card.Locator("[data-role='replay-result']")).ToContainTextAsync("Replay queued");
        await AdminPageFixture.EventuallyAsync(() => Deliveries(path, marker) == 2, "the replayed delivery");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task NewConnectionForm_FromProviderTemplate_CreatesTheProviderAndAPendingConnection()
    {
        // Arrange
        var template = await f.SendAsync(HttpMethod.Get, "v1/provider-templates/github", f.ApiKey, null, HttpStatusCode.OK);
        var name = "gh-" + TestRandom.Hex(4);
        var clientId = "Iv1." + TestRandom.Hex(8);
        var page = await f.SignedInPageAsync();
        await page.ClickAsync("#new-connection");
        var form = page.Locator("form[data-form='new-connection']");

        // Act: an OAuth connection on a new provider made from the GitHub template.
        await form.Locator("input[name='name']").FillAsync(name);
        await form.Locator("select[name='type']").SelectOptionAsync("oauth2_authorization_code");
        await form.Locator("select[name='provider']").SelectOptionAsync("template:github");
        await form.Locator("input[name='client_id']").FillAsync(clientId);
        await form.Locator("input[name='client_secret']").FillAsync("gh-client-secret-" + TestRandom.Hex(8));
        var scopes = await form.Locator("input[name='scopes']").InputValueAsync();
        await form.Locator("input[name='base_url']").FillAsync("https://api.github.com");
        await form.Locator("button[type=submit]").ClickAsync();

        // Assert: the new card, pending; the provider from the template with the client id typed; the template's scopes.
        var card = page.Locator("[data-connection-id]", new() { HasText = name });
        await Assertions.Expect(card.Locator("[data-badge='status']")).ToHaveTextAsync("pending");
        Assert.Equal(string.Join(' ', template["default_scopes"]!.AsArray().Select(s => (string?)s)), scopes);
        var providers = await f.SendAsync(HttpMethod.Get, f.Project("providers?per_page=100"), f.ApiKey, null, HttpStatusCode.OK);
        var provider = Assert.Single(providers["data"]!.AsArray(), p => (string?)p!["client_id"] == clientId)!;
        Assert.Equal("github", (string?)provider["template"]);
        var connections = await f.SendAsync(HttpMethod.Get, f.Project("connections?per_page=100"), f.ApiKey, null, HttpStatusCode.OK);
        var connection = Assert.Single(connections["data"]!.AsArray(), c => (string?)c!["name"] == name)!;
        Assert.Equal((string?)provider["id"], (string?)connection["provider_id"]);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task EditForm_OnConnection_SavesTheChange()
    {
        // Arrange
        var connection = await BearerConnectionAsync("edited");
        var page = await f.SignedInPageAsync();
        var card = page.Locator($"[data-connection-id='{connection}']");
        await card.Locator("[data-action='edit']").ClickAsync();
        var form = card.Locator("form[data-form='edit-connection']");

        // Act
        await form.Locator("input[name='description']").FillAsync("Edited <b>in</b> the admin page");
        await form.Locator("button[type=submit]").ClickAsync();

        // Assert: saved, and the list is back showing it as text (the markup in it is not markup on the page).
        var description = page.Locator($"[data-connection-id='{connection}'] [data-role='description']");
        await Assertions.Expect(description).ToHaveTextAsync("Edited <b>in</b> the admin page");
        Assert.Equal(0, await description.Locator("b").CountAsync());
        var saved = await f.SendAsync(HttpMethod.Get, f.Project($"connections/{connection}"), f.ApiKey, null, HttpStatusCode.OK);
        Assert.Equal("Edited <b>in</b> the admin page", (string?)saved["description"]);
        await page.Context.CloseAsync();
    }

    private int Deliveries(string path, string marker) => f.Received.Count(r => r.Path == path && r.Body.Contains(marker, StringComparison.Ordinal));

    /// <summary>A bearer connection to the receiver whose test request is <c>GET /ping-{id}</c> (so its hits can be told apart).</summary>
    private async Task<string> BearerConnectionAsync(string label)
    {
        var secret = "token-" + TestRandom.Hex(4);
        await f.SendAsync(HttpMethod.Post, f.Project("secrets"), f.ApiKey, new { name = secret, value = "t0ken-" + TestRandom.Hex(8), auth_type = "bearer" }, HttpStatusCode.Created);
        var name = $"{label}-{TestRandom.Hex(4)}";
        var created = await f.SendAsync(HttpMethod.Post, f.Project("connections"), f.ApiKey, new
        {
            name,
            type = "bearer",
            base_url = f.ReceiverBase.AbsoluteUri.TrimEnd('/'),
            secret_refs = new { token = secret },
        }, HttpStatusCode.Created);
        var id = (string)created["id"]!;
        await f.SendAsync(HttpMethod.Patch, f.Project($"connections/{id}"), f.ApiKey, new { test_request = new { method = "GET", path = "/ping-" + id } }, HttpStatusCode.OK);
        return id;
    }

    /// <summary>An endpoint for order.* on a receiver path of its own (every test's endpoint gets every order.* message).</summary>
    private async Task<(string Id, string Path)> EndpointAsync()
    {
        var path = "/hooks-" + TestRandom.Hex(4);
        var created = await f.SendAsync(HttpMethod.Post, f.Project("webhook-endpoints"), f.ApiKey, new
        {
            url = new Uri(f.ReceiverBase, path).AbsoluteUri,
            event_types = new[] { "order.*" },
            description = "admin page test",
        }, HttpStatusCode.Created);
        return ((string)created["id"]!, path);
    }
}
