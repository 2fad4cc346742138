using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Integrations.Testing.Webhooks;
using static Integrations.Api.Tests.HubFixture;

namespace Integrations.Api.Tests.Webhooks;

/// <summary>The events API: list, read with the raw body, replay; and what another tenant, project or scope gets.</summary>
public sealed class WebhookEventApiTests(WebhookHub fixture) : IClassFixture<WebhookHub>
{
    private const string Secret = "events-test-secret-0123456789";
    private readonly HubFixture _hub = fixture.Hub;

    [Fact]
    public async Task ListEvents_SeveralDeliveries_NewestFirstFilteredBySourceAndType()
    {
        var (tenant, sourceId) = await SourceAsync();
        var older = await DeliverAsync(sourceId, "{\"n\":1}", "evt_a", "a.created");
        await Task.Delay(20);
        var newer = await DeliverAsync(sourceId, "{\"n\":2}", "evt_b", "b.deleted");
        using var owner = _hub.Client(tenant.OwnerKey);

        var all = await Json(await owner.GetAsync($"/v1/projects/{tenant.ProjectId}/events"), HttpStatusCode.OK);
        var typed = await Json(await owner.GetAsync($"/v1/projects/{tenant.ProjectId}/events?type=a.created"), HttpStatusCode.OK);
        var otherSource = await Json(await owner.GetAsync($"/v1/projects/{tenant.ProjectId}/events?source=whs_aaaaaaaaaaaaaaaaaaaa"), HttpStatusCode.OK);

        Assert.Equal([newer, older], all["data"]!.AsArray().Select(e => (string)e!["id"]!));
        Assert.Null(all["data"]![0]!["body_base64"]);
        Assert.Equal([older], typed["data"]!.AsArray().Select(e => (string)e!["id"]!));
        Assert.Empty(otherSource["data"]!.AsArray());
    }

    [Fact]
    public async Task GetEvent_BinaryBody_Base64OnlyNoText()
    {
        var (tenant, sourceId) = await SourceAsync();
        byte[] body = [0xff, 0xfe, 0x00, 0x80];
        var eventId = await DeliverAsync(sourceId, body, "evt_binary");
        using var owner = _hub.Client(tenant.OwnerKey);

        var stored = await Json(await owner.GetAsync($"/v1/projects/{tenant.ProjectId}/events/{eventId}"), HttpStatusCode.OK);

        Assert.Equal(body, Convert.FromBase64String((string)stored["body_base64"]!));
        Assert.Null(stored["body"]);
    }

    [Fact]
    public async Task ReplayEvent_Stored_PutBackOnTheQueueWithTheSameEventId()
    {
        var (tenant, sourceId) = await SourceAsync();
        var eventId = await DeliverAsync(sourceId, "{\"id\":\"evt_replay\"}", "evt_replay");
        await Queues.DrainAsync(_hub.ConnectionString, tenant.ProjectId);
        using var owner = _hub.Client(tenant.OwnerKey);

        var replay = await Json(await owner.PostAsync($"/v1/projects/{tenant.ProjectId}/events/{eventId}/replay", null), HttpStatusCode.Accepted);

        Assert.Equal(eventId, (string?)replay["event_id"]);
        var message = Assert.Single(await Queues.DrainAsync(_hub.ConnectionString, tenant.ProjectId));
        Assert.Equal(eventId, (string?)message["event_id"]);
    }

    [Theory]
    [InlineData("GET", "")]
    [InlineData("POST", "/replay")]
    public async Task EventRoutes_AnotherOrganizationsKey_404AndNothingEnqueued(string method, string suffix)
    {
        var (tenant, sourceId) = await SourceAsync();
        var eventId = await DeliverAsync(sourceId, "{\"id\":\"evt_theirs\"}", "evt_theirs");
        await Queues.DrainAsync(_hub.ConnectionString, tenant.ProjectId);
        var attacker = await _hub.CreateTenantAsync("Mallory");
        using var client = _hub.Client(attacker.OwnerKey);

        var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), $"/v1/projects/{tenant.ProjectId}/events/{eventId}{suffix}"));
        var list = await client.GetAsync($"/v1/projects/{tenant.ProjectId}/events");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, list.StatusCode);
        Assert.Empty(await Queues.DrainAsync(_hub.ConnectionString, tenant.ProjectId));
    }

    [Theory]
    [InlineData("GET", "")]
    [InlineData("POST", "/replay")]
    public async Task EventRoutes_AnotherProjectsEventIdInOwnProject_404(string method, string suffix)
    {
        var (tenant, sourceId) = await SourceAsync();
        var eventId = await DeliverAsync(sourceId, "{\"id\":\"evt_other_project\"}", "evt_other_project");
        using var owner = _hub.Client(tenant.OwnerKey);
        var second = await Json(await owner.PostAsJsonAsync("/v1/projects", new { name = "second-" + Integrations.Testing.TestRandom.Hex(3) }), HttpStatusCode.Created);

        var response = await owner.SendAsync(new HttpRequestMessage(new HttpMethod(method), $"/v1/projects/{(string)second["id"]!}/events/{eventId}{suffix}"));

        await Problem(response, HttpStatusCode.NotFound, "webhook-event-not-found");
    }

    [Theory]
    [InlineData("GET", "", "webhooks:read")]
    [InlineData("GET", "/{id}", "webhooks:read")]
    [InlineData("POST", "/{id}/replay", "webhooks:write")]
    public async Task EventRoutes_KeyWithoutTheScope_403AndNothingEnqueued(string method, string suffix, string scope)
    {
        var (tenant, sourceId) = await SourceAsync();
        var eventId = await DeliverAsync(sourceId, "{\"id\":\"evt_scoped\"}", "evt_scoped");
        await Queues.DrainAsync(_hub.ConnectionString, tenant.ProjectId);
        using var owner = _hub.Client(tenant.OwnerKey);
        var others = scope == "webhooks:read" ? new[] { "webhooks:write", "connections:read" } : ["webhooks:read", "connections:write"];
        var key = await Json(await owner.PostAsJsonAsync($"/v1/orgs/{tenant.OrganizationId}/api-keys", new { name = "limited", scopes = others }), HttpStatusCode.Created);
        using var limited = _hub.Client((string)key["key"]!);

        var response = await limited.SendAsync(new HttpRequestMessage(new HttpMethod(method), $"/v1/projects/{tenant.ProjectId}/events{suffix.Replace("{id}", eventId, StringComparison.Ordinal)}"));

        await Problem(response, HttpStatusCode.Forbidden, "missing-scope");
        Assert.Empty(await Queues.DrainAsync(_hub.ConnectionString, tenant.ProjectId));
    }

    private async Task<(Tenant Tenant, string SourceId)> SourceAsync()
    {
        var tenant = await _hub.CreateTenantAsync();
        using var owner = _hub.Client(tenant.OwnerKey);
        var source = await Json(await owner.PostAsJsonAsync($"/v1/projects/{tenant.ProjectId}/webhook-sources",
            new { name = "events", scheme = TestWebhookScheme.SchemeName, secret = Secret }), HttpStatusCode.Created);
        return (tenant, (string)source["id"]!);
    }

    private Task<string> DeliverAsync(string sourceId, string body, string eventId, string? type = null) => DeliverAsync(sourceId, Encoding.UTF8.GetBytes(body), eventId, type);

    private async Task<string> DeliverAsync(string sourceId, byte[] body, string eventId, string? type = null)
    {
        using var client = _hub.Client();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/webhooks/{sourceId}") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add(TestWebhookScheme.SignatureHeader, TestWebhookScheme.Sign(Secret, body));
        request.Headers.Add("X-Test-Id", eventId);
        if (type is not null)
        {
            request.Headers.Add("X-Test-Type", type);
        }

        var answer = await Json(await client.SendAsync(request), HttpStatusCode.OK);
        return (string)answer["event_id"]!;
    }
}
