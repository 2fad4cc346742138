using System.Net;
using System.Net.Http.Json;
using System.Text;
using Integrations.Core.Counters;
using Integrations.Core.Events;
using Integrations.Core.OutboundWebhooks;
using Integrations.Testing.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using static Integrations.Api.Tests.HubFixture;
using static Integrations.Api.Tests.OutboundWebhooks.MessageHub;

namespace Integrations.Api.Tests.OutboundWebhooks;

/// <summary>Visibility and repair: attempts per message and per endpoint, replay, recover, stats; and the hub's own events published as messages.</summary>
public sealed class MessageRepairApiTests(MessageHub fixture) : IClassFixture<MessageHub>
{
    private HubFixture Hub => fixture.Hub;

    private IWebhookDeliveryStore Deliveries => Hub.Services.GetRequiredService<IWebhookDeliveryStore>();

    [Fact]
    public async Task Replay_AllEndpoints_FailedAndDeliveredBackToPending_TicketsForTheNextAttempt()
    {
        var tenant = await Hub.CreateTenantAsync();
        using var client = Hub.Client(tenant.OwnerKey);
        var failing = await fixture.CreateEndpointAsync(tenant, []);
        var fine = await fixture.CreateEndpointAsync(tenant, []);
        var id = (await SendAsync(client, tenant, "order.created", new { n = 1 })).GetProperty("id").GetString()!;
        await fixture.TicketsAsync(id);
        await AttemptsAsync(tenant, id, failing, [500, 503, 500], DeliveryState.Failed);
        await AttemptsAsync(tenant, id, fine, [200], DeliveryState.Delivered);

        var replayed = await Json(await client.PostAsync($"{Messages(tenant)}/{id}/replay", null), HttpStatusCode.Accepted);
        var message = await Json(await client.GetAsync($"{Messages(tenant)}/{id}"), HttpStatusCode.OK);
        var tickets = await fixture.TicketsAsync(id);

        Assert.Equal(2, (int)replayed["count"]!);
        Assert.All(message["deliveries"]!.AsArray(), d => Assert.Equal("pending", (string?)d!["state"]));
        Assert.Null(message["deliveries"]!.AsArray().Single(d => (string)d!["endpoint_id"]! == failing)!["failure_reason"]);
        Assert.Contains(tickets, t => t.EndpointId == failing && t.Attempt == 4);
        Assert.Contains(tickets, t => t.EndpointId == fine && t.Attempt == 2);
    }

    [Fact]
    public async Task Replay_OneEndpoint_OnlyItsDeliveryQueued()
    {
        var tenant = await Hub.CreateTenantAsync();
        using var client = Hub.Client(tenant.OwnerKey);
        var one = await fixture.CreateEndpointAsync(tenant, []);
        var other = await fixture.CreateEndpointAsync(tenant, []);
        var id = (await SendAsync(client, tenant, "order.created", new { n = 1 })).GetProperty("id").GetString()!;
        await fixture.TicketsAsync(id);
        await AttemptsAsync(tenant, id, one, [500], DeliveryState.Failed);
        await AttemptsAsync(tenant, id, other, [500], DeliveryState.Failed);

        var replayed = await Json(await client.PostAsJsonAsync($"{Messages(tenant)}/{id}/replay", new { endpoint_id = one }), HttpStatusCode.Accepted);
        var message = await Json(await client.GetAsync($"{Messages(tenant)}/{id}"), HttpStatusCode.OK);
        var after = (await fixture.TicketsAsync(id)).Where(t => t.Attempt == 2).ToList();

        Assert.Equal(one, (string?)Assert.Single(replayed["endpoint_ids"]!.AsArray()));
        Assert.Equal(one, Assert.Single(after).EndpointId);
        var untouched = message["deliveries"]!.AsArray().Single(d => (string)d!["endpoint_id"]! == other)!;
        Assert.Equal(("failed", "attempts exhausted"), ((string?)untouched["state"], (string?)untouched["failure_reason"]));
    }

    [Fact]
    public async Task Replay_EndpointThatSubscribesSince_GetsADelivery_OneThatDoesNot_400()
    {
        var tenant = await Hub.CreateTenantAsync();
        using var client = Hub.Client(tenant.OwnerKey);
        var id = (await SendAsync(client, tenant, "order.created", new { n = 1 })).GetProperty("id").GetString()!;
        var later = await fixture.CreateEndpointAsync(tenant, ["order.*"]);
        var unrelated = await fixture.CreateEndpointAsync(tenant, ["invoice.*"]);

        var refused = await client.PostAsJsonAsync($"{Messages(tenant)}/{id}/replay", new { endpoint_id = unrelated });
        var unknown = await client.PostAsJsonAsync($"{Messages(tenant)}/{id}/replay", new { endpoint_id = "whe_aaaaaaaaaaaaaaaaaaaa" });
        await Json(await client.PostAsJsonAsync($"{Messages(tenant)}/{id}/replay", new { endpoint_id = later }), HttpStatusCode.Accepted);
        var message = await Json(await client.GetAsync($"{Messages(tenant)}/{id}"), HttpStatusCode.OK);

        await Problem(refused, HttpStatusCode.BadRequest, OutboundMessageErrors.EndpointNotSubscribed);
        await Problem(unknown, HttpStatusCode.NotFound, "not-found");
        Assert.Equal(later, (string?)Assert.Single(message["deliveries"]!.AsArray())!["endpoint_id"]);
        Assert.Equal((later, 1), (Assert.Single(await fixture.TicketsAsync(id)).EndpointId, 1));
    }

    [Fact]
    public async Task Recover_FailedDeliveriesSince_QueuedAgain_OthersUntouched()
    {
        var tenant = await Hub.CreateTenantAsync();
        using var client = Hub.Client(tenant.OwnerKey);
        var endpoint = await fixture.CreateEndpointAsync(tenant, []);
        var old = (await SendAsync(client, tenant, "order.created", new { n = 0 })).GetProperty("id").GetString()!;
        await AttemptsAsync(tenant, old, endpoint, [500], DeliveryState.Failed);
        await Task.Delay(50);
        var since = TimeProvider.System.GetUtcNow();
        var failed1 = (await SendAsync(client, tenant, "order.created", new { n = 1 })).GetProperty("id").GetString()!;
        var failed2 = (await SendAsync(client, tenant, "order.created", new { n = 2 })).GetProperty("id").GetString()!;
        var delivered = (await SendAsync(client, tenant, "order.created", new { n = 3 })).GetProperty("id").GetString()!;
        await AttemptsAsync(tenant, failed1, endpoint, [500, 500], DeliveryState.Failed);
        await AttemptsAsync(tenant, failed2, endpoint, [410], DeliveryState.Failed);
        await AttemptsAsync(tenant, delivered, endpoint, [200], DeliveryState.Delivered);
        foreach (var m in new[] { old, failed1, failed2, delivered })
        {
            await fixture.TicketsAsync(m);
        }

        var recovered = await Json(await client.PostAsJsonAsync($"{Endpoint(tenant, endpoint)}/recover", new { since }), HttpStatusCode.Accepted);

        Assert.Equal((2, false), ((int)recovered["count"]!, (bool)recovered["more"]!));
        Assert.Equal(3, Assert.Single(await fixture.TicketsAsync(failed1), t => t.Attempt == 3).Attempt);
        Assert.Single(await fixture.TicketsAsync(failed2), t => t.Attempt == 2);
        Assert.DoesNotContain(await fixture.TicketsAsync(old), t => t.Attempt == 2);
        Assert.DoesNotContain(await fixture.TicketsAsync(delivered), t => t.Attempt == 2);
        Assert.Equal(DeliveryState.Pending, (await Deliveries.GetAsync(tenant.OrganizationId, tenant.ProjectId, failed1, endpoint))!.State);
        Assert.Equal(DeliveryState.Failed, (await Deliveries.GetAsync(tenant.OrganizationId, tenant.ProjectId, old, endpoint))!.State);
        Assert.Equal(DeliveryState.Delivered, (await Deliveries.GetAsync(tenant.OrganizationId, tenant.ProjectId, delivered, endpoint))!.State);
    }

    [Fact]
    public async Task Recover_NoSinceOrInTheFuture_400()
    {
        var tenant = await Hub.CreateTenantAsync();
        using var client = Hub.Client(tenant.OwnerKey);
        var endpoint = await fixture.CreateEndpointAsync(tenant, []);

        await Problem(await client.PostAsJsonAsync($"{Endpoint(tenant, endpoint)}/recover", new { }), HttpStatusCode.BadRequest, "missing-field");
        await Problem(await client.PostAsJsonAsync($"{Endpoint(tenant, endpoint)}/recover", new { since = TimeProvider.System.GetUtcNow().AddHours(1) }),
            HttpStatusCode.BadRequest, "invalid-recover-since");
    }

    [Fact]
    public async Task Attempts_PerMessageOldestFirst_PerEndpointNewestFirst_WithStatusAndBody()
    {
        var tenant = await Hub.CreateTenantAsync();
        using var client = Hub.Client(tenant.OwnerKey);
        var endpoint = await fixture.CreateEndpointAsync(tenant, []);
        var id = (await SendAsync(client, tenant, "order.created", new { n = 1 })).GetProperty("id").GetString()!;
        await AttemptsAsync(tenant, id, endpoint, [503, 200], DeliveryState.Delivered);

        var byMessage = await Json(await client.GetAsync($"{Messages(tenant)}/{id}/attempts"), HttpStatusCode.OK);
        var byEndpoint = await Json(await client.GetAsync($"{Endpoint(tenant, endpoint)}/attempts"), HttpStatusCode.OK);
        var none = await Json(await client.GetAsync($"{Endpoint(tenant, endpoint)}/attempts?since={Uri.EscapeDataString(TimeProvider.System.GetUtcNow().AddMinutes(1).ToString("O"))}"),
            HttpStatusCode.OK);

        Assert.Equal([(1, 503), (2, 200)], byMessage["data"]!.AsArray().Select(a => ((int)a!["number"]!, (int)a["status_code"]!)));
        Assert.Equal("body of 503", (string?)byMessage["data"]![0]!["response_body"]);
        Assert.Equal([2, 1], byEndpoint["data"]!.AsArray().Select(a => (int)a!["number"]!));
        Assert.Equal(id, (string?)byEndpoint["data"]![0]!["message_id"]);
        Assert.Empty(none["data"]!.AsArray());
    }

    [Fact]
    public async Task Stats_CountsOfTheEndpointsCounters()
    {
        var tenant = await Hub.CreateTenantAsync();
        using var client = Hub.Client(tenant.OwnerKey);
        var endpoint = await fixture.CreateEndpointAsync(tenant, []);
        var key = new CounterKey(tenant.OrganizationId, tenant.ProjectId, endpoint);
        fixture.Counters.Increment(key, OutboundWebhookCounters.Delivered, 5);
        fixture.Counters.Increment(key, OutboundWebhookCounters.Retried, 2);
        fixture.Counters.Increment(key, OutboundWebhookCounters.Failed);
        var lastSuccess = TimeProvider.System.GetUtcNow().AddMinutes(-3);
        fixture.Counters.RecordLatest(key, OutboundWebhookCounters.LastSuccess, lastSuccess);

        var stats = await Json(await client.GetAsync($"{Endpoint(tenant, endpoint)}/stats"), HttpStatusCode.OK);
        var tooWide = await client.GetAsync($"{Endpoint(tenant, endpoint)}/stats?since={Uri.EscapeDataString(TimeProvider.System.GetUtcNow().AddDays(-8).ToString("O"))}");

        Assert.Equal((5, 2, 1), ((int)stats["delivered"]!, (int)stats["retrying"]!, (int)stats["failed"]!));
        Assert.Equal(lastSuccess, (DateTimeOffset)stats["last_delivered_at"]!);
        await Problem(tooWide, HttpStatusCode.BadRequest, "webhook-endpoint-stats-range-too-wide");
    }

    [Fact]
    public async Task ActivityEvent_PublishedAsAMessage_OnceEvenWhenAppendedAgain()
    {
        var tenant = await Hub.CreateTenantAsync();
        using var client = Hub.Client(tenant.OwnerKey);
        var secrets = await fixture.CreateEndpointAsync(tenant, ["secret.*"]);
        await fixture.CreateEndpointAsync(tenant, ["connection.*"]);
        var writer = Hub.Services.GetRequiredService<EventWriter>();
        var hubEvent = DeterministicEventIds.WithIdFor(
            writer.Create(tenant.OrganizationId, tenant.ProjectId, HubEventTypes.SecretExpiring, "secret/db-password", new Dictionary<string, string> { ["days"] = "7" }),
            "test", tenant.ProjectId, "db-password");

        await writer.AppendAsync(hubEvent);
        await writer.AppendAsync(hubEvent);

        var id = MessageIds.ForOutboxEvent(hubEvent.Id);
        var message = await Json(await client.GetAsync($"{Messages(tenant)}/{id}"), HttpStatusCode.OK);
        var list = await Json(await client.GetAsync(Messages(tenant)), HttpStatusCode.OK);
        Assert.Equal(("secret.expiring", "outbox"), ((string?)message["event_type"], (string?)message["origin"]));
        Assert.Equal((hubEvent.Id, "secret/db-password", "7"), ((string?)message["payload"]!["id"], (string?)message["payload"]!["subject"], (string?)message["payload"]!["data"]!["days"]));
        Assert.Equal(1, (int)list["pagination"]!["total"]!);
        Assert.Equal(secrets, Assert.Single(await fixture.TicketsAsync(id)).EndpointId);
    }

    [Fact]
    public async Task ActivityEvent_ProcessDiedBeforeHandingItOn_RelayPublishesItOnceAndRemovesTheNote()
    {
        var tenant = await Hub.CreateTenantAsync();
        using var client = Hub.Client(tenant.OwnerKey);
        var endpoint = await fixture.CreateEndpointAsync(tenant, ["connection.*"]);
        var writer = Hub.Services.GetRequiredService<EventWriter>();
        var handOffs = Hub.Services.GetRequiredService<IEventHandOffStore>();
        // What a process killed between the outbox append and the publish leaves: the note and the event, no message.
        var hubEvent = writer.Create(tenant.OrganizationId, tenant.ProjectId, HubEventTypes.ConnectionRevoked, "connection/crm");
        await handOffs.OpenHandOffAsync(new EventHandOff(tenant.OrganizationId, tenant.ProjectId, hubEvent.Id, TimeProvider.System.GetUtcNow().AddMinutes(-2)));
        await Hub.Services.GetRequiredService<IEventOutbox>().AppendAsync(hubEvent);
        var id = MessageIds.ForOutboxEvent(hubEvent.Id);
        var before = await client.GetAsync($"{Messages(tenant)}/{id}");

        var listed = Assert.Single(await handOffs.ListOpenHandOffsAsync(TimeProvider.System.GetUtcNow().AddMinutes(-1), 1000), n => n.EventId == hubEvent.Id);
        var relayed = await writer.RelayAsync(listed);
        // A second relay that listed the same note at the same time (another instance) finds it claimed.
        var again = await writer.RelayAsync(listed);

        Assert.Equal(HttpStatusCode.NotFound, before.StatusCode);
        Assert.Equal((true, false), (relayed, again));
        var message = await Json(await client.GetAsync($"{Messages(tenant)}/{id}"), HttpStatusCode.OK);
        Assert.Equal(("connection.revoked", "outbox"), ((string?)message["event_type"], (string?)message["origin"]));
        Assert.Equal(endpoint, Assert.Single(await fixture.TicketsAsync(id)).EndpointId);
        Assert.DoesNotContain(await handOffs.ListOpenHandOffsAsync(TimeProvider.System.GetUtcNow().AddMinutes(1), 1000), n => n.EventId == hubEvent.Id);
    }

    [Fact]
    public async Task ActivityEvent_ProcessDiedBeforeTheAppend_RelayRemovesTheNoteAndPublishesNothing()
    {
        var tenant = await Hub.CreateTenantAsync();
        using var client = Hub.Client(tenant.OwnerKey);
        await fixture.CreateEndpointAsync(tenant, []);
        var handOffs = Hub.Services.GetRequiredService<IEventHandOffStore>();
        var note = new EventHandOff(tenant.OrganizationId, tenant.ProjectId, Core.Common.Ids.New("evt"), TimeProvider.System.GetUtcNow().AddMinutes(-2));
        await handOffs.OpenHandOffAsync(note);

        var listed = Assert.Single(await handOffs.ListOpenHandOffsAsync(TimeProvider.System.GetUtcNow().AddMinutes(-1), 1000), n => n.EventId == note.EventId);
        var relayed = await Hub.Services.GetRequiredService<EventWriter>().RelayAsync(listed);

        Assert.True(relayed);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"{Messages(tenant)}/{MessageIds.ForOutboxEvent(note.EventId)}")).StatusCode);
        Assert.DoesNotContain(await handOffs.ListOpenHandOffsAsync(TimeProvider.System.GetUtcNow().AddMinutes(1), 1000), n => n.EventId == note.EventId);
    }

    [Fact]
    public async Task ActivityEvent_AppendedAndPublished_LeavesNoHandOffNote()
    {
        var tenant = await Hub.CreateTenantAsync();
        await fixture.CreateEndpointAsync(tenant, []);
        var writer = Hub.Services.GetRequiredService<EventWriter>();

        var hubEvent = await writer.AppendAsync(tenant.OrganizationId, tenant.ProjectId, HubEventTypes.ConnectionCreated, "connection/crm");

        Assert.Single(await fixture.TicketsAsync(MessageIds.ForOutboxEvent(hubEvent.Id)));
        Assert.DoesNotContain(await Hub.Services.GetRequiredService<IEventHandOffStore>().ListOpenHandOffsAsync(TimeProvider.System.GetUtcNow().AddMinutes(1), 1000),
            n => n.EventId == hubEvent.Id);
    }

    [Fact]
    public async Task VerifiedInboundEvent_PublishedAsInboundSourceType_WithItsJsonBody()
    {
        var tenant = await Hub.CreateTenantAsync();
        using var client = Hub.Client(tenant.OwnerKey);
        var endpoint = await fixture.CreateEndpointAsync(tenant, ["inbound.billing.*"]);
        var source = await Json(await client.PostAsJsonAsync($"/v1/projects/{tenant.ProjectId}/webhook-sources",
            new { name = "billing", scheme = TestWebhookScheme.SchemeName, secret = SourceSecret }), HttpStatusCode.Created);
        var body = Encoding.UTF8.GetBytes("""{"id":"p-9","kind":"paid"}""");
        using var anonymous = Hub.Client();
        using var delivery = new HttpRequestMessage(HttpMethod.Post, $"/v1/webhooks/{(string)source["id"]!}") { Content = new ByteArrayContent(body) };
        delivery.Content.Headers.ContentType = new("application/json");
        delivery.Headers.Add(TestWebhookScheme.SignatureHeader, TestWebhookScheme.Sign(SourceSecret, body));
        delivery.Headers.Add("X-Test-Id", "p-9");
        delivery.Headers.Add("X-Test-Type", "invoice/paid");

        var received = await Json(await anonymous.SendAsync(delivery), HttpStatusCode.OK);
        var id = MessageIds.ForInboundEvent((string)received["event_id"]!);
        var message = await EventuallyAsync(client, $"{Messages(tenant)}/{id}");

        Assert.Equal(("inbound.billing.invoice_paid", "inbound"), ((string?)message["event_type"], (string?)message["origin"]));
        Assert.Equal(((string?)received["event_id"], "p-9", "paid"),
            ((string?)message["payload"]!["event_id"], (string?)message["payload"]!["provider_event_id"], (string?)message["payload"]!["body"]!["kind"]));
        Assert.Equal(endpoint, Assert.Single(await fixture.TicketsEventuallyAsync(id, 1)).EndpointId);
    }

    /// <summary>What the delivery job writes: attempts with these statuses, the delivery ending in <paramref name="final"/>.</summary>
    private async Task AttemptsAsync(Tenant tenant, string messageId, string endpointId, int[] statuses, DeliveryState final)
    {
        var current = (await Deliveries.GetAsync(tenant.OrganizationId, tenant.ProjectId, messageId, endpointId))!;
        for (var i = 0; i < statuses.Length; i++)
        {
            var at = TimeProvider.System.GetUtcNow();
            var last = i == statuses.Length - 1;
            current = current with
            {
                State = last ? final : DeliveryState.Retrying, Attempts = i + 1, LastAttemptAt = at, LastStatusCode = statuses[i],
                FailureReason = last && final == DeliveryState.Failed ? "attempts exhausted" : null, UpdatedAt = at, ETag = null,
            };
            var attempt = new DeliveryAttempt(messageId, endpointId, i + 1, at, statuses[i], TimeSpan.FromMilliseconds(12), $"body of {statuses[i]}", null);
            Assert.Equal(Core.Common.WriteOutcome.Written, await Deliveries.RecordAttemptAsync(current, attempt));
        }
    }

    /// <summary>Inbound handlers run after the response is sent: the message shows up a moment later.</summary>
    private static async Task<System.Text.Json.Nodes.JsonNode> EventuallyAsync(HttpClient client, string path)
    {
        for (var i = 0; i < 100; i++)
        {
            var response = await client.GetAsync(path);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return await Json(response, HttpStatusCode.OK);
            }

            await Task.Delay(100);
        }

        throw new Xunit.Sdk.XunitException($"{path} did not appear within 10 s.");
    }
}
