using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Integrations.Api.Tests.Connections;
using Integrations.Core.OutboundWebhooks;
using Integrations.Core.Telemetry;
using Integrations.Testing;
using Integrations.Testing.OAuth;
using Integrations.Testing.Webhooks;
using OpenTelemetry.Metrics;
using static Integrations.Api.Tests.HubFixture;

namespace Integrations.Api.Tests.Telemetry;

/// <summary>
/// The hub's meter and activity source are process-wide: this collection runs alone, so what the exporters hold is this
/// class's requests only.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryTestGroup
{
    public const string Name = "telemetry";
}

[Collection(TelemetryTestGroup.Name)]
public sealed class TelemetryTests(TelemetryHub fixture) : IClassFixture<TelemetryHub>
{
    private static readonly string RevealRoute = "/" + Integrations.Api.Secrets.SecretRoutes.Reveal.Template;

    private const string WebhookSecret = "telemetry-webhook-secret-0123456789";

    private HubFixture Hub => fixture.Hub;

    [Fact]
    public async Task Requests_OneOfEachKind_EmitTheirSpansAndMetrics()
    {
        // Arrange
        var tenant = await Hub.CreateTenantAsync();
        using var client = Hub.Client(tenant.OwnerKey);

        // Act: a vault reveal, a token refresh at the loopback OAuth server, a proxied call, a verified webhook, a delivery.
        await Json(await client.PostAsJsonAsync(tenant.Secrets, new { name = "token", value = "telemetry-token-value" }), HttpStatusCode.Created);
        await Json(await client.PostAsync($"{tenant.Secrets}/token/reveal", null), HttpStatusCode.OK);

        var providerId = await CreateProviderAsync(client, tenant);
        var oauth = (string)(await TokenHubFixture.CreateOAuthConnectionAsync(client, tenant, providerId, "idp"))["id"]!;
        await TokenHubFixture.ConnectWithPasswordAsync(Hub.Services, fixture.Idp, tenant.OrganizationId, tenant.ProjectId, oauth);
        await Json(await client.PostAsJsonAsync(ConnectionTokenApiTests.TokenPath(tenant, oauth), new { force_refresh = true }), HttpStatusCode.OK);

        var bearer = await CreateConnectionAsync(client, tenant, "upstream", "bearer", new { token = "token" });
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(ProxyApiTests.Proxy(tenant, bearer, "echo/telemetry"))).StatusCode);

        var sourceId = await CreateSourceAsync(client, tenant);
        Assert.Equal(HttpStatusCode.OK, (await DeliverWebhookAsync(sourceId, "evt_telemetry_1")).StatusCode);

        var endpoint = await fixture.CreateEndpointAsync(tenant, fixture.Receiver.Statuses(204));
        var message = await fixture.PublishAsync(endpoint);
        await fixture.WaitForDeliveryAsync(message, endpoint, d => d.State == DeliveryState.Delivered);

        // Assert: the hub's spans, each about this tenant's project.
        bool Mine(System.Diagnostics.Activity a) => Equals(a.GetTagItem(HubTelemetry.Tags.ProjectId), tenant.ProjectId);
        // (The hub reveals secrets of its own too — a connection's credential — so there are several.)
        var reveals = await fixture.SpansWhereAsync(a => a.DisplayName == "vault reveal" && Mine(a));
        Assert.Contains(reveals, a => Equals(a.GetTagItem(HubTelemetry.Tags.Operation), "reveal"));
        var refresh = Assert.Single(await fixture.SpansWhereAsync(a => a.DisplayName == "oauth token refresh" && Mine(a)));
        Assert.Equal(oauth, refresh.GetTagItem(HubTelemetry.Tags.ConnectionId));
        Assert.Equal(System.Diagnostics.ActivityStatusCode.Unset, refresh.Status);
        var proxy = Assert.Single(await fixture.SpansWhereAsync(a => a.DisplayName == "proxy GET" && Mine(a)));
        Assert.Equal(HubTelemetry.ErrorClasses.None, proxy.GetTagItem(HubTelemetry.Tags.ErrorClass));
        var verify = Assert.Single(await fixture.SpansWhereAsync(a => a.DisplayName == "webhook verify" && Mine(a)));
        Assert.Equal(HubTelemetry.Outcomes.Verified, verify.GetTagItem(HubTelemetry.Tags.Outcome));
        var deliver = Assert.Single(await fixture.SpansWhereAsync(a => a.DisplayName == "webhook deliver" && Mine(a)));
        Assert.Equal(endpoint.Id, deliver.GetTagItem(HubTelemetry.Tags.Endpoint));
        // The provider call under the proxy span: an HTTP client span, a child of it.
        Assert.NotEmpty(await fixture.SpansWhereAsync(a => a.Kind == System.Diagnostics.ActivityKind.Client && a.ParentSpanId == proxy.SpanId));
        // Requests by route template and status.
        var server = await fixture.SpansWhereAsync(a => a.Kind == System.Diagnostics.ActivityKind.Server
            && Equals(a.GetTagItem("http.route"), RevealRoute));
        Assert.Contains(server, a => a.DisplayName == "POST " + RevealRoute && Equals(a.GetTagItem("http.response.status_code"), 200));

        // Assert: the metrics.
        var metrics = fixture.CollectMetrics();
        Assert.True(Sum(metrics, HubTelemetry.VaultOperations, (HubTelemetry.Tags.Operation, "reveal")) >= 1);
        Assert.True(Sum(metrics, HubTelemetry.TokenRefreshes, (HubTelemetry.Tags.Outcome, HubTelemetry.Outcomes.Success)) >= 1);
        Assert.True(Sum(metrics, HubTelemetry.ProxyRequests, (HubTelemetry.Tags.ErrorClass, HubTelemetry.ErrorClasses.None)) >= 1);
        Assert.Equal(1, Sum(metrics, HubTelemetry.WebhookVerifications, (HubTelemetry.Tags.Source, sourceId), (HubTelemetry.Tags.Outcome, HubTelemetry.Outcomes.Verified)));
        Assert.Equal(1, Sum(metrics, HubTelemetry.WebhookDeliveries, (HubTelemetry.Tags.Endpoint, endpoint.Id), (HubTelemetry.Tags.Outcome, HubTelemetry.Outcomes.Delivered)));
        Assert.True(HistogramCount(metrics, HubTelemetry.QueueLag, (HubTelemetry.Tags.Queue, "webhook-delivery")) >= 1);
        Assert.True(HistogramCount(metrics, HubTelemetry.AuditWriteDuration) >= 1);
        // The drain job (every second here) counts each job queue's poison queue.
        Assert.Contains(metrics.Where(m => m.Name == HubTelemetry.PoisonMessages).SelectMany(m => m.MetricPoints),
            p => Tags(p).Any(t => t.Key == HubTelemetry.Tags.Queue && Equals(t.Value, "webhook-delivery")));
        Assert.True(HistogramCount(metrics, "http.server.request.duration", ("http.route", RevealRoute), ("http.response.status_code", 200)) >= 1);
    }

    [Fact]
    public async Task ConnectionTest_FailingUpstream_CountsAFailedCheckAndTheProxyErrorClass()
    {
        // Arrange
        var tenant = await Hub.CreateTenantAsync();
        using var client = Hub.Client(tenant.OwnerKey);
        await Json(await client.PostAsJsonAsync(tenant.Secrets, new { name = "token", value = "telemetry-token-value" }), HttpStatusCode.Created);
        var id = await CreateConnectionAsync(client, tenant, "failing", "bearer", new { token = "token" }, testRequest: new { method = "GET", path = "/status/503" });
        var before = fixture.CollectMetrics();

        // Act
        await client.PostAsync($"{ConnectionsApiTests.Path(tenant)}/{id}/test", null);
        await client.GetAsync(ProxyApiTests.Proxy(tenant, id, "status/401"));

        // Assert
        var after = fixture.CollectMetrics();
        Assert.Equal(1, Sum(after, HubTelemetry.ConnectionChecks, (HubTelemetry.Tags.Outcome, HubTelemetry.Outcomes.Failed))
            - Sum(before, HubTelemetry.ConnectionChecks, (HubTelemetry.Tags.Outcome, HubTelemetry.Outcomes.Failed)));
        Assert.Equal(1, Sum(after, HubTelemetry.ProxyRequests, (HubTelemetry.Tags.ErrorClass, HubTelemetry.ErrorClasses.Auth))
            - Sum(before, HubTelemetry.ProxyRequests, (HubTelemetry.Tags.ErrorClass, HubTelemetry.ErrorClasses.Auth)));
    }

    [Fact]
    public async Task Requests_CarryingSecrets_LeaveNoneInAnySpanMetricOrLogAttribute()
    {
        // Arrange: values that must never leave the process as telemetry.
        var apiKeyValue = "sk_live_telemetry_" + TestRandom.Hex(12);
        var secretValue = "vault-secret-value-" + TestRandom.Hex(12);
        var oauthCode = "oauth-code-" + TestRandom.Hex(12);
        var oauthState = "oauth-state-" + TestRandom.Hex(12);
        var verifyToken = "verify-token-" + TestRandom.Hex(12);
        var password = "Pass-word-" + TestRandom.Hex(12) + "!";
        var email = "telemetry." + TestRandom.Hex(6) + "@example.com";
        var callerQuery = "caller-query-" + TestRandom.Hex(12);
        // Some providers take a token in the path (a bot token): the path below the proxy is the upstream's.
        var pathToken = "path-token-" + TestRandom.Hex(12);
        var webhookSignature = TestWebhookScheme.Sign(WebhookSecret, Encoding.UTF8.GetBytes("""{"id":"evt_secret"}"""));
        var tenant = await Hub.CreateTenantAsync();
        using var client = Hub.Client(tenant.OwnerKey);
        using var anonymous = Hub.Client();
        fixture.Spans.Clear();
        fixture.Logs.Clear();

        // Act: each secret in the place a real caller or provider puts it.
        await Json(await client.PostAsJsonAsync(tenant.Secrets, new { name = "key", value = apiKeyValue }), HttpStatusCode.Created);
        await Json(await client.PostAsJsonAsync(tenant.Secrets, new { name = "plain", value = secretValue }), HttpStatusCode.Created);
        await Json(await client.PostAsync($"{tenant.Secrets}/plain/reveal", null), HttpStatusCode.OK);
        // The upstream takes the API key in its query string, and the caller adds a query of its own.
        var keyed = await CreateConnectionAsync(client, tenant, "query-key", "api_key", new { api_key = "key" }, apiKey: new { @in = "query", name = "api_key" });
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(ProxyApiTests.Proxy(tenant, keyed, $"echo/{pathToken}?q={callerQuery}"))).StatusCode);
        Assert.Contains(fixture.Upstream.Requests, r => r.Target.Contains(apiKeyValue, StringComparison.Ordinal));
        // An OAuth callback with a code and state, an email verification link with its token, a login with email and password.
        await anonymous.GetAsync($"/v1/oauth/callback?code={oauthCode}&state={oauthState}");
        await anonymous.GetAsync($"/v1/auth/verify?token={verifyToken}&type=signup");
        await anonymous.PostAsJsonAsync("/v1/auth/login", new { email, password });
        // A verified webhook (its signature in a header) and a refused one.
        var sourceId = await CreateSourceAsync(client, tenant);
        await DeliverWebhookAsync(sourceId, "evt_secret", """{"id":"evt_secret"}""", webhookSignature);
        await DeliverWebhookAsync(sourceId, "evt_forged", """{"id":"evt_forged"}""", "00" + webhookSignature[2..]);
        var metrics = fixture.CollectMetrics();

        // Assert: the requests were recorded (by route, without their queries)...
        Assert.NotEmpty(await fixture.SpansWhereAsync(a => Equals(a.GetTagItem("http.route"), "/v1/oauth/callback")));
        Assert.NotEmpty(await fixture.SpansWhereAsync(a => Equals(a.GetTagItem("http.route"), "/v1/auth/verify")));
        Assert.NotEmpty(await fixture.SpansWhereAsync(a => a.DisplayName == "proxy GET"));
        Assert.NotEmpty(await fixture.SpansWhereAsync(a => a.Kind == System.Diagnostics.ActivityKind.Client && a.GetTagItem("url.full") is not null));
        Assert.NotEmpty(fixture.Logs.Snapshot());
        // ...and nothing anywhere holds a secret.
        var everything = new List<string>();
        foreach (var span in fixture.Spans.Snapshot())
        {
            everything.Add(span.DisplayName);
            everything.Add(span.StatusDescription ?? string.Empty);
            everything.AddRange(span.TagObjects.Select(t => $"{t.Key}={t.Value}"));
            everything.AddRange(span.Events.SelectMany(e => e.Tags.Select(t => $"{e.Name}:{t.Key}={t.Value}")));
            everything.AddRange(span.Baggage.Select(b => $"{b.Key}={b.Value}"));
        }

        foreach (var metric in metrics)
        {
            everything.AddRange(metric.MetricPoints.SelectMany(p => Tags(p).Select(t => $"{metric.Name}:{t.Key}={t.Value}")));
        }

        foreach (var log in fixture.Logs.Snapshot())
        {
            everything.Add($"{log.Category}: {log.Message} {log.Body}");
            everything.AddRange(log.Attributes.Select(a => $"{log.Category}:{a.Key}={a.Value}"));
        }

        foreach (var secret in new[] { apiKeyValue, secretValue, oauthCode, oauthState, verifyToken, password, email, callerQuery, pathToken, webhookSignature, tenant.OwnerKey, Hub.AdminKey })
        {
            Assert.DoesNotContain(everything, s => s.Contains(secret, StringComparison.Ordinal));
        }
    }

    private async Task<string> CreateProviderAsync(HttpClient client, Tenant tenant)
    {
        var provider = await Json(await client.PostAsJsonAsync(tenant.Providers, new
        {
            name = "idp-" + TestRandom.Hex(4), issuer = fixture.Idp.Issuer.AbsoluteUri, client_id = OpenIddictTestServer.ClientId,
            client_secret = OpenIddictTestServer.ClientSecret, client_authentication = "client_secret_basic", refresh_skew_seconds = 1,
        }), HttpStatusCode.Created);
        return (string)provider["id"]!;
    }

    private async Task<string> CreateConnectionAsync(HttpClient client, Tenant tenant, string name, string type, object secretRefs, object? apiKey = null, object? testRequest = null)
    {
        var body = new JsonObject
        {
            ["name"] = name, ["type"] = type, ["secret_refs"] = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(secretRefs)),
            ["base_url"] = fixture.Upstream.BaseUrl.AbsoluteUri, ["retries"] = 0,
        };
        if (apiKey is not null)
        {
            body["api_key"] = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(apiKey));
        }

        if (testRequest is not null)
        {
            body["test_request"] = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(testRequest));
        }

        return (string)(await Json(await client.PostAsJsonAsync(ConnectionsApiTests.Path(tenant), body), HttpStatusCode.Created))["id"]!;
    }

    private static async Task<string> CreateSourceAsync(HttpClient client, Tenant tenant)
    {
        var source = await Json(await client.PostAsJsonAsync($"/v1/projects/{tenant.ProjectId}/webhook-sources",
            new { name = "telemetry-" + TestRandom.Hex(4), scheme = TestWebhookScheme.SchemeName, secret = WebhookSecret }), HttpStatusCode.Created);
        return (string)source["id"]!;
    }

    private async Task<HttpResponseMessage> DeliverWebhookAsync(string sourceId, string eventId, string body = """{"id":"evt"}""", string? signature = null)
    {
        using var client = Hub.Client();
        var bytes = Encoding.UTF8.GetBytes(body);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/webhooks/{sourceId}") { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add(TestWebhookScheme.SignatureHeader, signature ?? TestWebhookScheme.Sign(WebhookSecret, bytes));
        request.Headers.Add("X-Test-Id", eventId);
        var response = await client.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    private static IEnumerable<KeyValuePair<string, object?>> Tags(MetricPoint point)
    {
        foreach (var tag in point.Tags)
        {
            yield return tag;
        }
    }

    private static IEnumerable<MetricPoint> Points(IReadOnlyList<MetricSnapshot> metrics, string name, (string Key, object Value)[] tags) =>
        metrics.Where(m => m.Name == name).SelectMany(m => m.MetricPoints)
            .Where(p => tags.All(t => Tags(p).Any(pt => pt.Key == t.Key && Equals(pt.Value?.ToString(), t.Value.ToString()))));

    private static long Sum(IReadOnlyList<MetricSnapshot> metrics, string name, params (string Key, object Value)[] tags) =>
        Points(metrics, name, tags).Sum(p => p.GetSumLong());

    private static long HistogramCount(IReadOnlyList<MetricSnapshot> metrics, string name, params (string Key, object Value)[] tags) =>
        Points(metrics, name, tags).Sum(p => p.GetHistogramCount());
}
