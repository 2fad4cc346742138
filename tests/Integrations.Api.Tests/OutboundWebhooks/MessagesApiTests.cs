using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Integrations.Azure.Tables;
using Integrations.Core.OutboundWebhooks;
using Microsoft.Extensions.DependencyInjection;
using static Integrations.Api.Tests.HubFixture;
using static Integrations.Api.Tests.OutboundWebhooks.MessageHub;

namespace Integrations.Api.Tests.OutboundWebhooks;

/// <summary>Sending messages: fan-out to the matching endpoints (deliveries stored, one ticket each on the queue), idempotency, limits.</summary>
public sealed class MessagesApiTests(MessageHub fixture) : IClassFixture<MessageHub>
{
    private HubFixture Hub => fixture.Hub;

    [Fact]
    public async Task Send_MatchingEndpoints_OneDeliveryAndOneTicketEach_ExactPrefixAndCatchAll()
    {
        var tenant = await Hub.CreateTenantAsync();
        using var client = Hub.Client(tenant.OwnerKey);
        var prefix = await fixture.CreateEndpointAsync(tenant, ["invoice.*"]);
        var exact = await fixture.CreateEndpointAsync(tenant, ["invoice.paid"]);
        var all = await fixture.CreateEndpointAsync(tenant, []);
        var otherPrefix = await fixture.CreateEndpointAsync(tenant, ["invoices.*"]);
        var otherExact = await fixture.CreateEndpointAsync(tenant, ["invoice.created"]);
        var disabled = await fixture.CreateEndpointAsync(tenant, ["invoice.*"], enabled: false);

        var sent = await SendAsync(client, tenant, "invoice.paid", new { amount = 1250, currency = "eur" });
        var id = sent.GetProperty("id").GetString()!;
        var message = await Json(await client.GetAsync($"{Messages(tenant)}/{id}"), HttpStatusCode.OK);
        var tickets = await fixture.TicketsAsync(id);

        Assert.False(sent.GetProperty("duplicate").GetBoolean());
        Assert.Equal(3, sent.GetProperty("deliveries").GetInt32());
        string[] expected = [prefix, exact, all];
        Assert.Equal(expected.Order(), message["deliveries"]!.AsArray().Select(d => (string)d!["endpoint_id"]!).Order());
        Assert.All(message["deliveries"]!.AsArray(), d => Assert.Equal(("pending", 0), ((string?)d!["state"], (int)d["attempts"]!)));
        Assert.Equal(expected.Order(), tickets.Select(t => t.EndpointId).Order());
        Assert.All(tickets, t => Assert.Equal((1, "invoice.paid", tenant.OrganizationId, tenant.ProjectId), (t.Attempt, t.EventType, t.OrganizationId, t.ProjectId)));
        Assert.All(tickets, t => Assert.Equal("""{"amount":1250,"currency":"eur"}""", t.Payload));
        Assert.Equal(("invoice.paid", "api", 1250), ((string?)message["event_type"], (string?)message["origin"], (int)message["payload"]!["amount"]!));
        Assert.DoesNotContain(otherPrefix, tickets.Select(t => t.EndpointId));
        Assert.DoesNotContain(otherExact, tickets.Select(t => t.EndpointId));
        Assert.DoesNotContain(disabled, tickets.Select(t => t.EndpointId));
    }

    [Fact]
    public async Task Send_PrefixPattern_DoesNotMatchALongerSegmentNorThePrefixAlone()
    {
        var tenant = await Hub.CreateTenantAsync();
        using var client = Hub.Client(tenant.OwnerKey);
        var invoice = await fixture.CreateEndpointAsync(tenant, ["invoice.*"]);

        var longer = (await SendAsync(client, tenant, "invoices.x", new { })).GetProperty("id").GetString()!;
        var bare = (await SendAsync(client, tenant, "invoice", new { })).GetProperty("id").GetString()!;
        var deeper = (await SendAsync(client, tenant, "invoice.item.created", new { })).GetProperty("id").GetString()!;

        Assert.Empty(await fixture.TicketsAsync(longer));
        Assert.Empty(await fixture.TicketsAsync(bare));
        Assert.Equal(invoice, Assert.Single(await fixture.TicketsAsync(deeper)).EndpointId);
    }

    [Fact]
    public async Task Send_NoMatchingEndpoint_StoredWithNoDelivery_AndListed()
    {
        var tenant = await Hub.CreateTenantAsync();
        using var client = Hub.Client(tenant.OwnerKey);
        await fixture.CreateEndpointAsync(tenant, ["order.*"]);

        var id = (await SendAsync(client, tenant, "invoice.paid", new { n = 1 })).GetProperty("id").GetString()!;
        var message = await Json(await client.GetAsync($"{Messages(tenant)}/{id}"), HttpStatusCode.OK);
        var list = await Json(await client.GetAsync(Messages(tenant)), HttpStatusCode.OK);

        Assert.Empty(message["deliveries"]!.AsArray());
        Assert.Empty(await fixture.TicketsAsync(id));
        Assert.Equal(id, (string?)Assert.Single(list["data"]!.AsArray())!["id"]);
    }

    [Fact]
    public async Task Send_SameIdempotencyKey_SameIdAndOneSetOfTickets()
    {
        var tenant = await Hub.CreateTenantAsync();
        using var client = Hub.Client(tenant.OwnerKey);
        var endpoint = await fixture.CreateEndpointAsync(tenant, ["order.*"]);

        var first = await SendAsync(client, tenant, "order.created", new { n = 1 }, "order-42");
        var repeat = await client.PostAsJsonAsync(Messages(tenant), new { event_type = "order.created", payload = new { n = 2 }, idempotency_key = "order-42" });
        var second = await Json(repeat, HttpStatusCode.Accepted);
        var id = first.GetProperty("id").GetString()!;
        var list = await Json(await client.GetAsync(Messages(tenant)), HttpStatusCode.OK);
        var message = await Json(await client.GetAsync($"{Messages(tenant)}/{id}"), HttpStatusCode.OK);

        Assert.Equal(id, (string?)second["id"]);
        Assert.True((bool)second["duplicate"]!);
        Assert.Equal("true", repeat.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(endpoint, Assert.Single(await fixture.TicketsAsync(id)).EndpointId);
        Assert.Equal(1, (int)list["pagination"]!["total"]!);
        Assert.Equal(1, (int)message["payload"]!["n"]!);
        Assert.Equal("order-42", (string?)message["idempotency_key"]);
    }

    [Fact]
    public async Task RecoverFanOut_AcceptThatDiedBeforeQueueing_QueuesTheMissingTicketsOnceAndClosesTheMarker()
    {
        var tenant = await Hub.CreateTenantAsync();
        using var client = Hub.Client(tenant.OwnerKey);
        var a = await fixture.CreateEndpointAsync(tenant, ["order.*"]);
        var b = await fixture.CreateEndpointAsync(tenant, []);
        var store = Hub.Services.GetRequiredService<IOutboundMessageStore>();
        var service = Hub.Services.GetRequiredService<OutboundMessageService>();
        // What a process killed between the store and the queue leaves: the message, its pending deliveries and its marker
        // (one transaction), no ticket.
        var then = TimeProvider.System.GetUtcNow().AddMinutes(-2);
        var crashed = new OutboundMessage(Core.Common.Ids.New(OutboundMessage.IdPrefix), tenant.OrganizationId, tenant.ProjectId, "order.created",
            Encoding.UTF8.GetBytes("""{"n":1}"""), "order-7", MessageOrigins.Api, then);
        var pending = new[] { a, b }.Select(e => new WebhookDelivery(tenant.OrganizationId, tenant.ProjectId, crashed.Id, e, "order.created", DeliveryState.Pending, 0,
            then, null, null, null, then, then)).ToList();
        Assert.True((await store.AddAsync(crashed, pending)).Added);
        var stale = TimeProvider.System.GetUtcNow().AddSeconds(1);
        var youngMeanwhile = (await store.ListOpenFanOutsAsync(TimeProvider.System.GetUtcNow().AddMinutes(-1), 1000)).Where(m => m.MessageId == crashed.Id).ToList();

        var repeat = await SendAsync(client, tenant, "order.created", new { n = 1 }, "order-7");
        var ticketsAfterRepeat = await fixture.TicketsAsync(crashed.Id);
        var listed = Assert.Single(await store.ListOpenFanOutsAsync(stale, 1000), m => m.MessageId == crashed.Id);
        var queued = await service.RecoverFanOutAsync(listed);
        // A second recovery that listed the same marker at the same time (another instance) finds it claimed.
        var again = await service.RecoverFanOutAsync(listed);

        // Not listed while younger than the threshold. The repeat answers with the first message and queues nothing itself;
        // the recovery queues each missing ticket once.
        Assert.Empty(youngMeanwhile);
        Assert.Equal(crashed.Id, repeat.GetProperty("id").GetString());
        Assert.True(repeat.GetProperty("duplicate").GetBoolean());
        Assert.Empty(ticketsAfterRepeat);
        Assert.Equal((2, 0), (queued, again));
        var tickets = await fixture.TicketsAsync(crashed.Id);
        Assert.Equal(new[] { a, b }.Order(), tickets.Select(t => t.EndpointId).Order());
        Assert.All(tickets, t => Assert.Equal(1, t.Attempt));
        Assert.True(await MarkerClosesAsync(crashed.Id));
    }

    [Fact]
    public async Task ListOpenFanOuts_MinuteWithNothingLeftOpen_ForgetsItsProjectIndexRow()
    {
        var tenant = await Hub.CreateTenantAsync();
        using var client = Hub.Client(tenant.OwnerKey);
        await fixture.CreateEndpointAsync(tenant, []);
        var table = Hub.Services.GetRequiredService<HubTables>().WebhookMessages;
        var projectRow = $"RowKey eq '{tenant.OrganizationId}_{tenant.ProjectId}' and PartitionKey ge 'fanout_projects_' and PartitionKey lt 'fanout_projects_~'";

        var id = (await SendAsync(client, tenant, "order.created", new { n = 1 })).GetProperty("id").GetString()!;
        var indexedWhileOpen = await table.QueryAsync<TableEntity>(projectRow).CountAsync();
        Assert.True(await MarkerClosesAsync(id));
        // Every minute up to the next one counts as ended: the accept's minute has no open marker left.
        await Hub.Services.GetRequiredService<IOutboundMessageStore>().ListOpenFanOutsAsync(TimeProvider.System.GetUtcNow().AddMinutes(2), 1000);

        // The accept wrote its project's row for its minute (what lets the recovery find its marker); once nothing of that
        // minute is open, a listing removes it, so the recovery's reads stay proportional to the projects still open.
        Assert.Equal(1, indexedWhileOpen);
        Assert.Equal(0, await table.QueryAsync<TableEntity>(projectRow).CountAsync());
    }

    [Fact]
    public async Task Send_Accepted_LeavesNoOpenFanOutMarker()
    {
        var tenant = await Hub.CreateTenantAsync();
        using var client = Hub.Client(tenant.OwnerKey);
        await fixture.CreateEndpointAsync(tenant, []);

        var id = (await SendAsync(client, tenant, "order.created", new { n = 1 })).GetProperty("id").GetString()!;

        // Every ticket queued: the marker stored with the message is gone, so the recovery has nothing to redo.
        Assert.Single(await fixture.TicketsAsync(id));
        Assert.True(await MarkerClosesAsync(id));
    }

    [Fact]
    public async Task Send_PayloadOverMaxMessageBytes_413AndNothingWritten()
    {
        var tenant = await Hub.CreateTenantAsync();
        using var client = Hub.Client(tenant.OwnerKey);
        await fixture.CreateEndpointAsync(tenant, []);

        var justOver = await client.PostAsJsonAsync(Messages(tenant), new { event_type = "big.one", payload = new { text = new string('x', MaxMessageBytes) } });
        using var huge = new StringContent("{\"event_type\":\"big.one\",\"payload\":\"" + new string('x', MaxMessageBytes * 4) + "\"}", Encoding.UTF8, "application/json");
        var farOver = await client.PostAsync(Messages(tenant), huge);

        await Problem(justOver, HttpStatusCode.RequestEntityTooLarge, OutboundMessageErrors.PayloadTooLarge);
        await Problem(farOver, HttpStatusCode.RequestEntityTooLarge, "body-too-large");
        await AssertNoMessagesAsync(client, tenant);
    }

    [Theory]
    [InlineData("{\"event_type\":\"a.b\",\"payload\":{\"x\":", "malformed-json")]
    [InlineData("{\"event_type\":\"a.b\",\"payload\":{\"x\":1}} trailing", "malformed-json")]
    [InlineData("{\"event_type\":\"a.*\",\"payload\":{}}", "invalid-event-type")]
    [InlineData("{\"event_type\":\"a b\",\"payload\":{}}", "invalid-event-type")]
    [InlineData("{\"event_type\":\"a.b\"}", "invalid-message")]
    [InlineData("{\"payload\":{}}", "invalid-message")]
    [InlineData("[1,2]", "invalid-message")]
    [InlineData("{\"event_type\":\"a.b\",\"payload\":{},\"idempotency_key\":\"\"}", "invalid-idempotency-key")]
    [InlineData("{\"event_type\":\"a.b\",\"payload\":{},\"idempotency_key\":7}", "invalid-message")]
    public async Task Send_BadBody_400AndNothingWritten(string body, string code)
    {
        var tenant = await Hub.CreateTenantAsync();
        using var client = Hub.Client(tenant.OwnerKey);
        await fixture.CreateEndpointAsync(tenant, []);
        using var content = new StringContent(body, Encoding.UTF8, "application/json");

        var response = await client.PostAsync(Messages(tenant), content);

        await Problem(response, HttpStatusCode.BadRequest, code);
        await AssertNoMessagesAsync(client, tenant);
    }

    [Fact]
    public async Task List_FiltersByEventTypeAndSince_NewestFirst_Paged()
    {
        var tenant = await Hub.CreateTenantAsync();
        using var client = Hub.Client(tenant.OwnerKey);
        var first = (await SendAsync(client, tenant, "order.created", new { n = 1 })).GetProperty("id").GetString()!;
        await Task.Delay(20);
        var cut = TimeProvider.System.GetUtcNow();
        await Task.Delay(20);
        var second = (await SendAsync(client, tenant, "order.paid", new { n = 2 })).GetProperty("id").GetString()!;
        var third = (await SendAsync(client, tenant, "order.created", new { n = 3 })).GetProperty("id").GetString()!;

        var all = await Json(await client.GetAsync(Messages(tenant)), HttpStatusCode.OK);
        var created = await Json(await client.GetAsync($"{Messages(tenant)}?event_type=order.created"), HttpStatusCode.OK);
        var recent = await Json(await client.GetAsync($"{Messages(tenant)}?since={Uri.EscapeDataString(cut.ToString("O"))}"), HttpStatusCode.OK);
        var page = await Json(await client.GetAsync($"{Messages(tenant)}?per_page=1&page=2"), HttpStatusCode.OK);
        var bad = await client.GetAsync($"{Messages(tenant)}?event_type=order.*");

        Assert.Equal([third, second, first], all["data"]!.AsArray().Select(m => (string)m!["id"]!));
        Assert.Null(all["data"]![0]!["payload"]);
        Assert.Equal([third, first], created["data"]!.AsArray().Select(m => (string)m!["id"]!));
        Assert.Equal([third, second], recent["data"]!.AsArray().Select(m => (string)m!["id"]!));
        Assert.Equal((3, second), ((int)page["pagination"]!["total"]!, (string?)Assert.Single(page["data"]!.AsArray())!["id"]));
        await Problem(bad, HttpStatusCode.BadRequest, "invalid-query");
    }

    [Fact]
    public async Task Get_UnknownOrMalformedId_404()
    {
        var tenant = await Hub.CreateTenantAsync();
        using var client = Hub.Client(tenant.OwnerKey);

        await Problem(await client.GetAsync($"{Messages(tenant)}/msg_aaaaaaaaaaaaaaaaaaaa"), HttpStatusCode.NotFound, "not-found");
        await Problem(await client.GetAsync($"{Messages(tenant)}/not-an-id"), HttpStatusCode.NotFound, "not-found");
        await Problem(await client.GetAsync($"{Messages(tenant)}/msg_aaaaaaaaaaaaaaaaaaaa/attempts"), HttpStatusCode.NotFound, "not-found");
    }

    private static async Task AssertNoMessagesAsync(HttpClient client, Tenant tenant)
    {
        var list = await Json(await client.GetAsync(Messages(tenant)), HttpStatusCode.OK);
        Assert.Equal(0, (int)list["pagination"]!["total"]!);
    }

    /// <summary>
    /// Whether the message's fan-out marker is gone within a few seconds: its removal is batched for up to 250 ms after the
    /// 202 (the store's choice), so a test looks more than once.
    /// </summary>
    private async Task<bool> MarkerClosesAsync(string messageId)
    {
        var store = Hub.Services.GetRequiredService<IOutboundMessageStore>();
        for (var look = 0; look < 50; look++)
        {
            if (!(await store.ListOpenFanOutsAsync(TimeProvider.System.GetUtcNow().AddMinutes(1), 1000)).Any(m => m.MessageId == messageId))
            {
                return true;
            }

            await Task.Delay(100);
        }

        return false;
    }
}
