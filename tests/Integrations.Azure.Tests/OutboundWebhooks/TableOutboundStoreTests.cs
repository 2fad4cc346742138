using System.Text;
using Azure.Data.Tables;
using Integrations.Azure.Tables;
using Integrations.Core.Common;
using Integrations.Core.OutboundWebhooks;

namespace Integrations.Azure.Tests.OutboundWebhooks;

/// <summary>The outbound message and delivery store over Azurite: one table, one transaction per accepted message.</summary>
public sealed class TableOutboundStoreTests : IAsyncLifetime
{
    private HubServices _hub = null!;
    private TableOutboundStore _store = null!;
    private string _org = "";
    private string _project = "";

    private static DateTimeOffset Now => TimeProvider.System.GetUtcNow();

    public async Task InitializeAsync()
    {
        _hub = await HubServices.StartAsync();
        _store = _hub.Get<TableOutboundStore>();
        (_org, _project) = await _hub.CreateProjectAsync("Acme");
    }

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    [Fact]
    public async Task AddAsync_NewMessage_StoresPayloadByteExactWithItsPendingDeliveries()
    {
        var payload = Encoding.UTF8.GetBytes("{ \"b\":1,  \"a\":\"\\u00e9\" }");
        var message = Message(payload);

        var (stored, added) = await _store.AddAsync(message, [Delivery(message, "wep_aaaaaaaaaaaaaaaaaaaa"), Delivery(message, "wep_bbbbbbbbbbbbbbbbbbbb")]);

        Assert.True(added);
        var read = await _store.GetAsync(_org, _project, stored.Id);
        Assert.NotNull(read);
        Assert.Equal(payload, read.Payload.ToArray());
        Assert.Equal("invoice.paid", read.EventType);
        var deliveries = await _store.ListByMessageAsync(_org, _project, message.Id);
        Assert.Equal(["wep_aaaaaaaaaaaaaaaaaaaa", "wep_bbbbbbbbbbbbbbbbbbbb"], deliveries.Select(d => d.EndpointId).Order());
        Assert.All(deliveries, d => Assert.Equal(DeliveryState.Pending, d.State));
    }

    [Fact]
    public async Task AddAsync_SameIdempotencyKey_ReturnsTheFirstMessageAndWritesNothing()
    {
        var first = Message("{}"u8.ToArray()) with { IdempotencyKey = "order-42" };
        var second = Message("{\"other\":true}"u8.ToArray()) with { IdempotencyKey = "order-42" };
        await _store.AddAsync(first, [Delivery(first, "wep_aaaaaaaaaaaaaaaaaaaa")]);

        var (returned, added) = await _store.AddAsync(second, [Delivery(second, "wep_aaaaaaaaaaaaaaaaaaaa")]);

        Assert.False(added);
        Assert.Equal(first.Id, returned.Id);
        Assert.Null(await _store.GetAsync(_org, _project, second.Id));
        Assert.Empty(await _store.ListByMessageAsync(_org, _project, second.Id));
    }

    [Fact]
    public async Task AddAsync_IdempotencyClaimPastRetention_TakesTheKeyAgain()
    {
        // The store's retention is Webhooks:MessageIdempotencyRetention (24 h); a claim written 25 h ago has run out.
        var old = Message("{}"u8.ToArray()) with { IdempotencyKey = "reused", CreatedAt = Now.AddHours(-25) };
        await _store.AddAsync(old, []);
        var fresh = Message("{}"u8.ToArray()) with { IdempotencyKey = "reused" };

        var (returned, added) = await _store.AddAsync(fresh, []);

        Assert.True(added);
        Assert.Equal(fresh.Id, returned.Id);
    }

    [Fact]
    public async Task AddAsync_SameIdTwice_ReturnsTheStoredMessage()
    {
        var message = Message("{\"n\":1}"u8.ToArray());
        await _store.AddAsync(message, []);

        var (returned, added) = await _store.AddAsync(message with { Payload = "{\"n\":2}"u8.ToArray() }, []);

        Assert.False(added);
        Assert.Equal("{\"n\":1}", Encoding.UTF8.GetString(returned.Payload.Span));
    }

    [Fact]
    public async Task AddAsync_PayloadLargerThanARowProperty_KeepsItInABlob()
    {
        var payload = Encoding.UTF8.GetBytes("{\"pad\":\"" + new string('x', 100_000) + "\"}");
        var message = Message(payload);

        await _store.AddAsync(message, []);

        Assert.Equal(payload, (await _store.GetAsync(_org, _project, message.Id))!.Payload.ToArray());
    }

    [Fact]
    public async Task ListAsync_NewestFirstWithEventTypeAndSinceFilters()
    {
        var a = Message("{}"u8.ToArray()) with { CreatedAt = Now.AddMinutes(-3) };
        var b = Message("{}"u8.ToArray()) with { CreatedAt = Now.AddMinutes(-2), EventType = "invoice.voided" };
        var c = Message("{}"u8.ToArray()) with { CreatedAt = Now.AddMinutes(-1) };
        foreach (var m in new[] { a, b, c })
        {
            await _store.AddAsync(m, []);
        }

        var all = await _store.ListAsync(_org, _project, new OutboundMessageQuery(new PageRequest(1, 10)));
        var paid = await _store.ListAsync(_org, _project, new OutboundMessageQuery(new PageRequest(1, 10), EventType: "invoice.paid"));
        var recent = await _store.ListAsync(_org, _project, new OutboundMessageQuery(new PageRequest(1, 10), Since: Now.AddMinutes(-2.5)));

        Assert.Equal([c.Id, b.Id, a.Id], all.Items.Select(m => m.Id));
        Assert.Equal([c.Id, a.Id], paid.Items.Select(m => m.Id));
        Assert.Equal([c.Id, b.Id], recent.Items.Select(m => m.Id));
        Assert.All(all.Items, m => Assert.True(m.Payload.IsEmpty));
    }

    [Fact]
    public async Task GetAsync_AnotherProjectsMessage_IsAbsent()
    {
        var message = Message("{}"u8.ToArray());
        await _store.AddAsync(message, [Delivery(message, "wep_aaaaaaaaaaaaaaaaaaaa")]);
        var (otherOrg, otherProject) = await _hub.CreateProjectAsync("Other");

        Assert.Null(await _store.GetAsync(otherOrg, otherProject, message.Id));
        Assert.Empty(await _store.ListByMessageAsync(otherOrg, otherProject, message.Id));
        Assert.Null(await _store.GetAsync(otherOrg, otherProject, message.Id, "wep_aaaaaaaaaaaaaaaaaaaa"));
    }

    [Fact]
    public async Task RecordAttemptAsync_WithoutARead_KeepsEveryAttemptInOrder()
    {
        var message = Message("{}"u8.ToArray());
        var delivery = Delivery(message, "wep_aaaaaaaaaaaaaaaaaaaa");
        await _store.AddAsync(message, [delivery]);

        // As the delivery job does: no ETag (it holds the queue message of the attempt), so no read before the write.
        await _store.RecordAttemptAsync(delivery with { State = DeliveryState.Retrying, Attempts = 1, LastStatusCode = 503, ETag = null },
            new DeliveryAttempt(message.Id, delivery.EndpointId, 1, Now.AddSeconds(-5), 503, TimeSpan.FromMilliseconds(12), "busy", null));
        await _store.RecordAttemptAsync(delivery with { State = DeliveryState.Delivered, Attempts = 2, LastStatusCode = 200, ETag = null },
            new DeliveryAttempt(message.Id, delivery.EndpointId, 2, Now, 200, TimeSpan.FromMilliseconds(8), new string('y', 5000), null));

        var stored = await _store.GetAsync(_org, _project, message.Id, delivery.EndpointId);
        Assert.Equal(DeliveryState.Delivered, stored!.State);
        Assert.Equal(2, stored.Attempts);
        var attempts = await _store.ListAttemptsByMessageAsync(_org, _project, message.Id);
        Assert.Equal([1, 2], attempts.Select(a => a.Number));
        Assert.Equal([503, 200], attempts.Select(a => a.StatusCode ?? 0));
        Assert.Equal(DeliveryAttempt.MaxResponseBodyChars, attempts[1].ResponseBody!.Length);
    }

    [Fact]
    public async Task RecordAttemptAsync_DeliveryGone_IsNotFoundAndCreatesNothing()
    {
        var message = Message("{}"u8.ToArray());
        var delivery = Delivery(message, "wep_aaaaaaaaaaaaaaaaaaaa");

        var outcome = await _store.RecordAttemptAsync(delivery with { Attempts = 1 },
            new DeliveryAttempt(message.Id, delivery.EndpointId, 1, Now, 200, TimeSpan.Zero, null, null));

        Assert.Equal(WriteOutcome.NotFound, outcome);
        Assert.Null(await _store.GetAsync(_org, _project, message.Id, delivery.EndpointId));
    }

    [Fact]
    public async Task TryUpdateAsync_StaleETag_IsAConflict()
    {
        var message = Message("{}"u8.ToArray());
        await _store.AddAsync(message, [Delivery(message, "wep_aaaaaaaaaaaaaaaaaaaa")]);
        var read = (await _store.GetAsync(_org, _project, message.Id, "wep_aaaaaaaaaaaaaaaaaaaa"))!;
        Assert.Equal(WriteOutcome.Written, await _store.TryUpdateAsync(read with { State = DeliveryState.Failed, FailureReason = "x" }));

        var outcome = await _store.TryUpdateAsync(read with { State = DeliveryState.Pending });

        Assert.Equal(WriteOutcome.Conflict, outcome);
        Assert.Equal(DeliveryState.Failed, (await _store.GetAsync(_org, _project, message.Id, "wep_aaaaaaaaaaaaaaaaaaaa"))!.State);
    }

    [Fact]
    public async Task TryUpdateAsync_ReplayOfAFailedDelivery_ClearsTheReasonAndTheLastStatus()
    {
        var message = Message("{}"u8.ToArray());
        var delivery = Delivery(message, "wep_aaaaaaaaaaaaaaaaaaaa");
        await _store.AddAsync(message, [delivery]);
        await _store.RecordAttemptAsync(delivery with { State = DeliveryState.Failed, Attempts = 1, LastStatusCode = 500, FailureReason = "attempts exhausted", NextAttemptAt = null },
            new DeliveryAttempt(message.Id, delivery.EndpointId, 1, Now, 500, TimeSpan.FromMilliseconds(2), null, null));
        var failed = (await _store.GetAsync(_org, _project, message.Id, delivery.EndpointId))!;

        // As a replay does: back to pending, no reason, due now.
        await _store.TryUpdateAsync(failed with { State = DeliveryState.Pending, FailureReason = null, LastStatusCode = null, NextAttemptAt = Now });

        var replayed = (await _store.GetAsync(_org, _project, message.Id, delivery.EndpointId))!;
        Assert.Equal(DeliveryState.Pending, replayed.State);
        Assert.Null(replayed.FailureReason);
        Assert.Null(replayed.LastStatusCode);
        Assert.NotNull(replayed.NextAttemptAt);
        Assert.Single(await _store.ListAttemptsByMessageAsync(_org, _project, message.Id));
    }

    [Fact]
    public async Task ListByEndpointAsync_FiltersByEndpointStateAndTime()
    {
        var old = Message("{}"u8.ToArray()) with { CreatedAt = Now.AddHours(-3) };
        var recent = Message("{}"u8.ToArray());
        await _store.AddAsync(old, [Delivery(old, "wep_aaaaaaaaaaaaaaaaaaaa") with { State = DeliveryState.Failed }]);
        await _store.AddAsync(recent, [Delivery(recent, "wep_aaaaaaaaaaaaaaaaaaaa") with { State = DeliveryState.Failed }, Delivery(recent, "wep_bbbbbbbbbbbbbbbbbbbb") with { State = DeliveryState.Failed }]);
        var other = Message("{}"u8.ToArray());
        await _store.AddAsync(other, [Delivery(other, "wep_aaaaaaaaaaaaaaaaaaaa")]);

        var failed = await _store.ListByEndpointAsync(_org, _project, "wep_aaaaaaaaaaaaaaaaaaaa", DeliveryState.Failed, Now.AddHours(-1), 100);

        Assert.Equal([recent.Id], failed.Select(d => d.MessageId));
    }

    [Fact]
    public async Task ListAttemptsByEndpointAsync_NewestFirstAcrossMessages()
    {
        var first = Message("{}"u8.ToArray());
        var second = Message("{}"u8.ToArray());
        foreach (var (m, at) in new[] { (first, Now.AddMinutes(-2)), (second, Now.AddMinutes(-1)) })
        {
            var d = Delivery(m, "wep_aaaaaaaaaaaaaaaaaaaa");
            await _store.AddAsync(m, [d]);
            await _store.RecordAttemptAsync(d with { Attempts = 1, LastAttemptAt = at, State = DeliveryState.Delivered },
                new DeliveryAttempt(m.Id, d.EndpointId, 1, at, 204, TimeSpan.FromMilliseconds(3), null, null));
        }

        var page = await _store.ListAttemptsByEndpointAsync(_org, _project, "wep_aaaaaaaaaaaaaaaaaaaa", Now.AddHours(-1), new PageRequest(1, 10));

        Assert.Equal([second.Id, first.Id], page.Items.Select(a => a.MessageId));
        Assert.Equal(2, page.Total);
    }

    [Fact]
    public async Task Rows_AreInTheProjectsPartition_BesideOnlyTheMinutesIndexRow()
    {
        var message = Message("{}"u8.ToArray()) with { IdempotencyKey = "k" };
        await _store.AddAsync(message, [Delivery(message, "wep_aaaaaaaaaaaaaaaaaaaa")]);

        var rows = new List<TableEntity>();
        await foreach (var row in _hub.Get<HubTables>().WebhookMessages.QueryAsync<TableEntity>())
        {
            rows.Add(row);
        }

        // The message, its list entry, its key claim, its delivery and its fan-out marker in the project's partition; apart
        // from them only the minute's index row, which names the project and holds nothing of the message.
        var project = rows.Where(r => r.PartitionKey == $"{_org}_{_project}").ToList();
        var index = Assert.Single(rows.Except(project));
        Assert.Equal(5, project.Count);
        Assert.Equal(["D", "F", "K", "L", "M"], project.Select(r => r.RowKey[..1]).Order());
        Assert.StartsWith("fanout_projects_", index.PartitionKey, StringComparison.Ordinal);
        Assert.Equal(($"{_org}_{_project}", _org, _project), (index.RowKey, index.GetString("OrganizationId"), index.GetString("ProjectId")));
        Assert.DoesNotContain(rows, r => r.RowKey == "K:k"); // the key is stored hashed
    }

    [Fact]
    public async Task DeleteCreatedBeforeAsync_RemovesOldMessagesWithTheirRowsAndBlobsOnly()
    {
        var old = Message(Encoding.UTF8.GetBytes("{\"pad\":\"" + new string('x', 70_000) + "\"}")) with { IdempotencyKey = "old", CreatedAt = Now.AddDays(-31) };
        var kept = Message("{}"u8.ToArray());
        await _store.AddAsync(old, [Delivery(old, "wep_aaaaaaaaaaaaaaaaaaaa")]);
        await _store.AddAsync(kept, [Delivery(kept, "wep_aaaaaaaaaaaaaaaaaaaa")]);

        var deleted = await _store.DeleteCreatedBeforeAsync(Now.AddDays(-30));

        Assert.Equal(1, deleted);
        Assert.Null(await _store.GetAsync(_org, _project, old.Id));
        Assert.Empty(await _store.ListByMessageAsync(_org, _project, old.Id));
        Assert.NotNull(await _store.GetAsync(_org, _project, kept.Id));
        Assert.Single(await _store.ListByMessageAsync(_org, _project, kept.Id));
        Assert.False(await _hub.Get<global::Azure.Storage.Blobs.BlobServiceClient>()
            .GetBlobContainerClient(TableOutboundStore.ContainerName(_hub.Prefix)).GetBlobClient($"{_org}/{_project}/{old.Id}").ExistsAsync());
        // The key is free again at once.
        Assert.True((await _store.AddAsync(Message("{}"u8.ToArray()) with { IdempotencyKey = "old" }, [])).Added);
    }

    private OutboundMessage Message(byte[] payload) =>
        new(Ids.New(OutboundMessage.IdPrefix), _org, _project, "invoice.paid", payload, null, "api", Now);

    private static WebhookDelivery Delivery(OutboundMessage m, string endpointId) =>
        new(m.OrganizationId, m.ProjectId, m.Id, endpointId, m.EventType, DeliveryState.Pending, 0, m.CreatedAt, null, null, null, m.CreatedAt, m.CreatedAt);
}
