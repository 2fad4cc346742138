using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Storage.Queues;
using Integrations.Azure.Queues;
using Integrations.Testing.Webhooks;
using static Integrations.Api.Tests.HubFixture;

namespace Integrations.Api.Tests.Webhooks;

/// <summary>Deliveries through the Server: stored byte-exact and on the project's queue before the 2xx, exactly once.</summary>
public sealed class WebhookIngressApiTests(WebhookHub fixture) : IClassFixture<WebhookHub>
{
    private const string Secret = "ingress-test-secret-0123456789";
    private readonly HubFixture _hub = fixture.Hub;

    [Fact]
    public async Task Receive_GenuineDelivery_StoredByteExactAndOnTheQueue()
    {
        var (tenant, sourceId) = await SourceAsync();
        var body = Encoding.UTF8.GetBytes("{ \"id\" : \"evt_1\",\"type\":\"invoice.paid\" ,\"x\":\"\\u00e9\"}");

        var response = await DeliverAsync(sourceId, body, "evt_1", "invoice.paid");

        var answer = await Json(response, HttpStatusCode.OK);
        var eventId = (string)answer["event_id"]!;
        Assert.False((bool)answer["duplicate"]!);
        using var owner = _hub.Client(tenant.OwnerKey);
        var stored = await Json(await owner.GetAsync($"/v1/projects/{tenant.ProjectId}/events/{eventId}"), HttpStatusCode.OK);
        Assert.Equal(body, Convert.FromBase64String((string)stored["body_base64"]!));
        Assert.Equal(Encoding.UTF8.GetString(body), (string?)stored["body"]);
        Assert.Equal("evt_1", (string?)stored["provider_event_id"]);
        Assert.Equal("invoice.paid", (string?)stored["type"]);
        Assert.Equal(sourceId, (string?)stored["source_id"]);
        Assert.Null(stored["headers"]!["authorization"]);
        var message = Assert.Single(await DrainAsync(tenant.ProjectId));
        Assert.Equal(eventId, (string?)message["event_id"]);
        Assert.Equal(sourceId, (string?)message["source_id"]);
    }

    [Fact]
    public async Task Receive_SameDeliveryTwice_SecondAnswered200AsDuplicateAndNotEnqueuedAgain()
    {
        var (tenant, sourceId) = await SourceAsync();
        var body = Encoding.UTF8.GetBytes("{\"id\":\"evt_dup\"}");

        var first = await Json(await DeliverAsync(sourceId, body, "evt_dup"), HttpStatusCode.OK);
        var second = await Json(await DeliverAsync(sourceId, body, "evt_dup"), HttpStatusCode.OK);

        Assert.False((bool)first["duplicate"]!);
        Assert.True((bool)second["duplicate"]!);
        Assert.Equal((string?)first["event_id"], (string?)second["event_id"]);
        Assert.Single(await DrainAsync(tenant.ProjectId));
    }

    [Fact]
    public async Task Receive_FiftyConcurrentCopies_AllGet2xxAndExactlyOneMessage()
    {
        var (tenant, sourceId) = await SourceAsync();
        // The project's first event creates its queue; the race is between the copies, not with that.
        await Json(await DeliverAsync(sourceId, Encoding.UTF8.GetBytes("{}"), "evt_warm"), HttpStatusCode.OK);
        await DrainAsync(tenant.ProjectId);
        var body = Encoding.UTF8.GetBytes("{\"id\":\"evt_fifty\"}");

        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => DeliverAsync(sourceId, body, "evt_fifty")));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var answers = await Task.WhenAll(responses.Select(async r => JsonNode.Parse(await r.Content.ReadAsStringAsync())!));
        Assert.Single(answers, a => !(bool)a["duplicate"]!);
        Assert.Single(await DrainAsync(tenant.ProjectId));
    }

    [Fact]
    public async Task Receive_OneMebibytePlusOneByte_413AndNothingStored()
    {
        var (tenant, sourceId) = await SourceAsync();
        var body = new byte[(1024 * 1024) + 1];

        var response = await DeliverAsync(sourceId, body, "evt_big");

        await Problem(response, HttpStatusCode.RequestEntityTooLarge, "webhook-too-large");
        Assert.Empty(await DrainAsync(tenant.ProjectId));
        Assert.Equal(0, await CountEventsAsync(tenant));
    }

    [Fact]
    public async Task Receive_ExactlyOneMebibyte_Accepted()
    {
        var (tenant, sourceId) = await SourceAsync();
        var body = new byte[1024 * 1024];
        body[^1] = 1;

        var answer = await Json(await DeliverAsync(sourceId, body, "evt_max"), HttpStatusCode.OK);

        using var owner = _hub.Client(tenant.OwnerKey);
        var stored = await Json(await owner.GetAsync($"/v1/projects/{tenant.ProjectId}/events/{(string)answer["event_id"]!}"), HttpStatusCode.OK);
        Assert.Equal(body, Convert.FromBase64String((string)stored["body_base64"]!));
    }

    [Fact]
    public async Task Receive_QueueDown_503NothingHalfStoredThenRetryEnqueuedOnce()
    {
        var (tenant, sourceId) = await SourceAsync();
        var body = Encoding.UTF8.GetBytes("{\"id\":\"evt_down\"}");
        fixture.QueueDown = true;
        HttpResponseMessage during;
        int visibleWhileDown;
        try
        {
            during = await DeliverAsync(sourceId, body, "evt_down");
            visibleWhileDown = await CountEventsAsync(tenant);
        }
        finally
        {
            fixture.QueueDown = false;
        }

        var retry = await Json(await DeliverAsync(sourceId, body, "evt_down"), HttpStatusCode.OK);
        var again = await Json(await DeliverAsync(sourceId, body, "evt_down"), HttpStatusCode.OK);

        await Problem(during, HttpStatusCode.ServiceUnavailable, "webhook-unavailable");
        Assert.Equal(0, visibleWhileDown);
        Assert.False((bool)retry["duplicate"]!);
        Assert.True((bool)again["duplicate"]!);
        Assert.Single(await DrainAsync(tenant.ProjectId));
        Assert.Equal(1, await CountEventsAsync(tenant));
    }

    [Fact]
    public async Task Receive_BadSignature_401AndNothingStored()
    {
        var (tenant, sourceId) = await SourceAsync();
        var body = Encoding.UTF8.GetBytes("{\"id\":\"evt_forged\"}");

        var response = await DeliverAsync(sourceId, body, "evt_forged", signature: TestWebhookScheme.Sign("not-the-secret", body));

        var problem = await Problem(response, HttpStatusCode.Unauthorized, "webhook-bad-signature");
        Assert.DoesNotContain(Secret, problem.ToJsonString(), StringComparison.Ordinal);
        Assert.Empty(await DrainAsync(tenant.ProjectId));
        Assert.Equal(0, await CountEventsAsync(tenant));
    }

    [Fact]
    public async Task Receive_MissingSignatureHeader_400()
    {
        var (_, sourceId) = await SourceAsync();
        using var client = _hub.Client();
        using var content = new ByteArrayContent("{}"u8.ToArray());

        var response = await client.PostAsync($"/v1/webhooks/{sourceId}", content);

        await Problem(response, HttpStatusCode.BadRequest, "webhook-missing-header");
    }

    [Fact]
    public async Task Receive_UnknownSource_404()
    {
        var response = await DeliverAsync("whs_aaaaaaaaaaaaaaaaaaaa", "{}"u8.ToArray(), "evt_x");

        await Problem(response, HttpStatusCode.NotFound, "webhook-source-not-found");
    }

    [Fact]
    public async Task ReceiveForProject_HeadersOfTheProjectsOneSource_AcceptedForThatSource()
    {
        var (tenant, sourceId) = await SourceAsync();
        var body = Encoding.UTF8.GetBytes("{\"id\":\"evt_sniffed\"}");

        var answer = await Json(await DeliverAsync(null, body, "evt_sniffed", projectId: tenant.ProjectId), HttpStatusCode.OK);

        var message = Assert.Single(await DrainAsync(tenant.ProjectId));
        Assert.Equal((string?)answer["event_id"], (string?)message["event_id"]);
        Assert.Equal(sourceId, (string?)message["source_id"]);
    }

    [Fact]
    public async Task ReceiveForProject_NoKnownSignatureHeader_400()
    {
        var (tenant, _) = await SourceAsync();
        using var client = _hub.Client();
        using var content = new ByteArrayContent("{}"u8.ToArray());

        var response = await client.PostAsync($"/v1/projects/{tenant.ProjectId}/webhooks", content);

        await Problem(response, HttpStatusCode.BadRequest, "webhook-source-not-matched");
        Assert.Empty(await DrainAsync(tenant.ProjectId));
    }

    [Fact]
    public async Task ReceiveForProject_TwoSourcesOfTheScheme_400Ambiguous()
    {
        var (tenant, _) = await SourceAsync();
        await CreateSourceAsync(tenant, "second");

        var response = await DeliverAsync(null, "{}"u8.ToArray(), "evt_ambiguous", projectId: tenant.ProjectId);

        var problem = await Problem(response, HttpStatusCode.BadRequest, "webhook-source-not-matched");
        Assert.Contains("several", (string?)problem["detail"], StringComparison.Ordinal);
        Assert.Empty(await DrainAsync(tenant.ProjectId));
    }

    private async Task<(Tenant Tenant, string SourceId)> SourceAsync()
    {
        var tenant = await _hub.CreateTenantAsync();
        return (tenant, await CreateSourceAsync(tenant, "test"));
    }

    private async Task<string> CreateSourceAsync(Tenant tenant, string name)
    {
        using var owner = _hub.Client(tenant.OwnerKey);
        var source = await Json(await owner.PostAsJsonAsync($"/v1/projects/{tenant.ProjectId}/webhook-sources",
            new { name, scheme = TestWebhookScheme.SchemeName, secret = Secret }), HttpStatusCode.Created);
        return (string)source["id"]!;
    }

    private async Task<HttpResponseMessage> DeliverAsync(string? sourceId, byte[] body, string eventId, string? type = null, string? signature = null, string? projectId = null)
    {
        using var client = _hub.Client();
        using var request = new HttpRequestMessage(HttpMethod.Post, projectId is null ? $"/v1/webhooks/{sourceId}" : $"/v1/projects/{projectId}/webhooks")
        {
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add(TestWebhookScheme.SignatureHeader, signature ?? TestWebhookScheme.Sign(Secret, body));
        request.Headers.Add("X-Test-Id", eventId);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "never-stored");
        if (type is not null)
        {
            request.Headers.Add("X-Test-Type", type);
        }

        var response = await client.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    private async Task<int> CountEventsAsync(Tenant tenant)
    {
        using var owner = _hub.Client(tenant.OwnerKey);
        var list = await Json(await owner.GetAsync($"/v1/projects/{tenant.ProjectId}/events"), HttpStatusCode.OK);
        return (int)list["pagination"]!["total"]!;
    }

    private async Task<List<JsonNode>> DrainAsync(string projectId) => await Queues.DrainAsync(_hub.ConnectionString, projectId);
}

/// <summary>Reads a project's webhook queue with the Azure SDK, as a consumer would.</summary>
internal static class Queues
{
    public static async Task<List<JsonNode>> DrainAsync(string connectionString, string projectId)
    {
        var queue = new QueueClient(connectionString, StorageWebhookEventPublisher.QueueNameOf("webhooks", projectId),
            new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        var messages = new List<JsonNode>();
        if (!await queue.ExistsAsync())
        {
            return messages;
        }

        while (true)
        {
            var batch = (await queue.ReceiveMessagesAsync(32)).Value;
            if (batch.Length == 0)
            {
                return messages;
            }

            foreach (var message in batch)
            {
                messages.Add(JsonNode.Parse(message.Body.ToString())!);
                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
            }
        }
    }
}
