using System.Text;
using System.Text.Json.Nodes;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Integrations.Azure.Queues;
using Integrations.Azure.Tables;
using Integrations.Core.Audit;
using Integrations.Core.Common;
using Integrations.Core.Counters;
using Integrations.Core.Webhooks;
using Integrations.Testing.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Integrations.Azure.Tests.Webhooks;

/// <summary>Ingress over Azurite: the real event table, blob container and project queue; only the scheme is a test one.</summary>
public sealed class WebhookIngressTests : IAsyncLifetime
{
    private const string Secret = "test-secret-value";

    private static DateTimeOffset Now => TimeProvider.System.GetUtcNow();
    private HubServices _hub = null!;
    private FlakyPublisher _publisher = null!;
    private WebhookSource _source = null!;

    public async Task InitializeAsync()
    {
        // DuplicateWait above its 2 s default: this machine's two cores are shared with other builds, and fifty copies at once
        // on Azurite are slower than Table Storage; the property tested is exactly-once, not latency.
        _hub = await HubServices.StartAsync(
            settings: new Dictionary<string, string?> { ["Webhooks:DuplicateWait"] = "00:00:05", ["Webhooks:ClaimLease"] = "00:00:10" },
            configure: services =>
            {
                services.AddSingleton<IWebhookScheme, TestWebhookScheme>();
                services.AddSingleton<IWebhookSourceLookup>(new NoLookup());
                services.AddSingleton<StorageWebhookEventPublisher>();
                services.AddSingleton(sp => new FlakyPublisher(sp.GetRequiredService<StorageWebhookEventPublisher>()));
                services.Replace(ServiceDescriptor.Singleton<IWebhookEventPublisher>(sp => sp.GetRequiredService<FlakyPublisher>()));
                services.AddSingleton<WebhookIngress>();
            });
        _publisher = _hub.Get<FlakyPublisher>();
        var (org, project) = await _hub.CreateProjectAsync("Acme");
        _source = NewSource(org, project);
    }

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    [Fact]
    public async Task ReceiveAsync_GenuineDelivery_StoresBodyByteExactAndEnqueuesOneMessage()
    {
        // Bytes a JSON re-serialiser would change (spacing, key order, escapes) must come back exactly.
        var body = Encoding.UTF8.GetBytes("{ \"b\":1,  \"a\":\"\\u00e9\" , \"pad\":\"" + new string('x', 2000) + "\"}");

        var result = await ReceiveAsync(body, "evt_1", "invoice.paid");

        Assert.Equal(WebhookIngressOutcome.Accepted, result.Outcome);
        var stored = await _hub.Get<IWebhookEventStore>().GetAsync(_source.OrganizationId, _source.ProjectId, result.Event!.Id);
        Assert.NotNull(stored);
        Assert.Equal(body, stored.Body.ToArray());
        Assert.Equal("evt_1", stored.Event.ProviderEventId);
        Assert.Equal("invoice.paid", stored.Event.EventType);
        Assert.Equal(_source.Id, stored.Event.SourceId);
        Assert.Equal(TestWebhookScheme.SchemeName, stored.Event.Scheme);
        Assert.Equal("application/json", stored.Event.Headers["content-type"]);
        Assert.False(stored.Event.Headers.ContainsKey("authorization"));
        Assert.False(stored.Event.Headers.ContainsKey("cookie"));
        var messages = await DrainQueueAsync();
        var message = Assert.Single(messages);
        Assert.Equal(result.Event.Id, (string?)message["event_id"]);
        Assert.Equal(_source.Id, (string?)message["source_id"]);
        Assert.Equal(_source.ProjectId, (string?)message["project_id"]);
        Assert.Equal("invoice.paid", (string?)message["type"]);
        Assert.NotNull(message["received_at"]);
        Assert.Null(message["body"]);
    }

    [Fact]
    public async Task ReceiveAsync_SmallBody_WritesNoBlob()
    {
        var result = await ReceiveAsync(new byte[2048], "evt_small");

        Assert.Equal(WebhookIngressOutcome.Accepted, result.Outcome);
        Assert.Empty(await BlobNamesAsync());
    }

    [Fact]
    public async Task ReceiveAsync_BodyLargerThanOneProperty_KeptInBlobAndReadBackExactly()
    {
        var body = System.Security.Cryptography.RandomNumberGenerator.GetBytes(900 * 1024);

        var result = await ReceiveAsync(body, "evt_large");

        Assert.Equal(WebhookIngressOutcome.Accepted, result.Outcome);
        Assert.Single(await BlobNamesAsync());
        var stored = await _hub.Get<IWebhookEventStore>().GetAsync(_source.OrganizationId, _source.ProjectId, result.Event!.Id);
        Assert.Equal(body, stored!.Body.ToArray());
    }

    [Fact]
    public async Task ReceiveAsync_SameDeliveryTwice_SecondIsDuplicateAndNotEnqueuedAgain()
    {
        var body = Encoding.UTF8.GetBytes("{\"id\":\"evt_twice\"}");
        var first = await ReceiveAsync(body, "evt_twice");

        var second = await ReceiveAsync(body, "evt_twice");

        Assert.Equal(WebhookIngressOutcome.Accepted, first.Outcome);
        Assert.Equal(WebhookIngressOutcome.Duplicate, second.Outcome);
        Assert.Equal(first.Event!.Id, second.Event!.Id);
        Assert.Single(await DrainQueueAsync());
        var counts = await _hub.Get<IHubCounters>().ReadAsync(new CounterKey(_source.OrganizationId, _source.ProjectId, _source.Id), Now.AddHours(-1));
        Assert.Equal(1, counts.Count(WebhookCounters.Accepted));
        Assert.Equal(1, counts.Count(WebhookCounters.Duplicate));
    }

    [Fact]
    public async Task ReceiveAsync_NoEventIdTwice_DeduplicatedByBodyHash()
    {
        var body = Encoding.UTF8.GetBytes("{\"no\":\"id\"}");

        var first = await ReceiveAsync(body, eventId: null);
        var second = await ReceiveAsync(body, eventId: null);

        Assert.Equal(WebhookIngressOutcome.Accepted, first.Outcome);
        Assert.Equal(WebhookIngressOutcome.Duplicate, second.Outcome);
        Assert.Single(await DrainQueueAsync());
    }

    [Fact]
    public async Task ReceiveAsync_FiftyConcurrentCopies_AllAnsweredTwoHundredAndEnqueuedExactlyOnce()
    {
        var body = Encoding.UTF8.GetBytes("{\"id\":\"evt_fifty\"}");

        // Warm up (the project's queue is created by its first event) so the copies race each other, not the first-use costs.
        Assert.Equal(WebhookIngressOutcome.Accepted, (await ReceiveAsync(Encoding.UTF8.GetBytes("{}"), "evt_warm_up")).Outcome);
        await DrainQueueAsync();

        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(() => ReceiveAsync(body, "evt_fifty"))));

        Assert.Single(results, r => r.Outcome == WebhookIngressOutcome.Accepted);
        Assert.Equal(49, results.Count(r => r.Outcome == WebhookIngressOutcome.Duplicate));
        Assert.Single(await DrainQueueAsync());
    }

    [Fact]
    public async Task ReceiveAsync_CrashBetweenStoreAndEnqueue_RetryAfterLeaseTakesOverAndEnqueuesOnce()
    {
        // A copy stored the event and died before enqueueing (its claim is older than the lease): written as that copy would have.
        var body = Encoding.UTF8.GetBytes("{\"id\":\"evt_crash\"}");
        await StoreAsIfCrashedAsync(body, "evt_crash", Now.AddMinutes(-1));

        var retry = await ReceiveAsync(body, "evt_crash");
        var another = await ReceiveAsync(body, "evt_crash");

        Assert.Equal(WebhookIngressOutcome.Accepted, retry.Outcome);
        Assert.Equal(WebhookIngressOutcome.Duplicate, another.Outcome);
        Assert.Single(await DrainQueueAsync());
    }

    [Fact]
    public async Task ReceiveAsync_CrashedCopyStillWithinLease_AnswersUnavailableNotDuplicate()
    {
        var body = Encoding.UTF8.GetBytes("{\"id\":\"evt_fresh_claim\"}");
        await StoreAsIfCrashedAsync(body, "evt_fresh_claim", Now);

        var retry = await ReceiveAsync(body, "evt_fresh_claim");

        // Never a 2xx for an event that is not on the queue: the provider retries after the lease.
        Assert.Equal(WebhookIngressOutcome.Unavailable, retry.Outcome);
        Assert.Empty(await DrainQueueAsync());
    }

    [Fact]
    public async Task ReceiveAsync_QueueDown_UnavailableThenRetryAfterRecoveryEnqueuedOnce()
    {
        var body = Encoding.UTF8.GetBytes("{\"id\":\"evt_queue_down\"}");
        _publisher.Down = true;

        var during = await ReceiveAsync(body, "evt_queue_down");
        var visibleWhileDown = await _hub.Get<IWebhookEventStore>().GetAsync(_source.OrganizationId, _source.ProjectId, WebhookEventIds.For(_source.Id, "id:evt_queue_down"));
        _publisher.Down = false;
        var after = await ReceiveAsync(body, "evt_queue_down");
        var again = await ReceiveAsync(body, "evt_queue_down");

        Assert.Equal(WebhookIngressOutcome.Unavailable, during.Outcome);
        Assert.Null(visibleWhileDown);
        Assert.Equal(WebhookIngressOutcome.Accepted, after.Outcome);
        Assert.Equal(WebhookIngressOutcome.Duplicate, again.Outcome);
        Assert.Single(await DrainQueueAsync());
    }

    [Fact]
    public async Task ReceiveAsync_BadSignature_RefusedCountedAuditedAndNothingStored()
    {
        var body = Encoding.UTF8.GetBytes("{\"id\":\"evt_forged\"}");

        var result = await _hub.Get<WebhookIngress>().ReceiveAsync(Resolved(), Request(body, "evt_forged", signature: TestWebhookScheme.Sign("wrong", body)),
            new WebhookRequestOrigin("203.0.113.9", "forger", "req-1"));

        Assert.Equal(WebhookIngressOutcome.Refused, result.Outcome);
        Assert.Equal(WebhookRefusal.BadSignature, result.Refusal);
        Assert.Empty(await DrainQueueAsync());
        Assert.Null(await _hub.Get<IWebhookEventStore>().GetSlotAsync(_source.OrganizationId, _source.ProjectId, WebhookEventIds.For(_source.Id, "id:evt_forged")));
        var counts = await _hub.Get<IHubCounters>().ReadAsync(new CounterKey(_source.OrganizationId, _source.ProjectId, _source.Id), Now.AddHours(-1));
        Assert.Equal(1, counts.Count(WebhookCounters.BadSignature));
        var records = await _hub.Get<IAuditStore>().ReadAsync(AuditPartition.For(_source.OrganizationId, _source.ProjectId), Now.AddMinutes(-5), Now.AddMinutes(1));
        var record = Assert.Single(records, r => r.Action == AuditActions.WebhookRefused);
        Assert.Equal("webhook-source/" + _source.Id, record.Target);
        Assert.StartsWith("webhook-bad-signature", record.ActorId, StringComparison.Ordinal);
        Assert.DoesNotContain(TestWebhookScheme.Sign("wrong", body), record.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListAsync_EnqueuedEvents_NewestFirstAndOnlyInTheirProject()
    {
        var older = await ReceiveAsync(Encoding.UTF8.GetBytes("{\"n\":1}"), "evt_list_1", "a.one");
        await Task.Delay(20);
        var newer = await ReceiveAsync(Encoding.UTF8.GetBytes("{\"n\":2}"), "evt_list_2", "a.two");
        var store = _hub.Get<IWebhookEventStore>();
        var (otherOrg, otherProject) = await _hub.CreateProjectAsync("Other");

        var all = await store.ListAsync(_source.OrganizationId, _source.ProjectId, new WebhookEventQuery(PageRequest.Default));
        var typed = await store.ListAsync(_source.OrganizationId, _source.ProjectId, new WebhookEventQuery(PageRequest.Default, Type: "a.one"));
        var elsewhere = await store.ListAsync(otherOrg, otherProject, new WebhookEventQuery(PageRequest.Default));

        Assert.Equal([newer.Event!.Id, older.Event!.Id], all.Items.Select(e => e.Id));
        Assert.Equal([older.Event.Id], typed.Items.Select(e => e.Id));
        Assert.Empty(elsewhere.Items);
        Assert.Null(await store.GetAsync(otherOrg, otherProject, older.Event.Id));
    }

    [Fact]
    public async Task DeleteReceivedBeforeAsync_PastRetention_RemovesRowsListEntriesAndBlobs()
    {
        var small = await ReceiveAsync(Encoding.UTF8.GetBytes("{}"), "evt_old_small");
        var large = await ReceiveAsync(System.Security.Cryptography.RandomNumberGenerator.GetBytes(100 * 1024), "evt_old_large");
        var store = _hub.Get<IWebhookEventStore>();

        var deleted = await store.DeleteReceivedBeforeAsync(Now.AddSeconds(1));

        Assert.True(deleted >= 2);
        Assert.Null(await store.GetSlotAsync(_source.OrganizationId, _source.ProjectId, small.Event!.Id));
        Assert.Null(await store.GetSlotAsync(_source.OrganizationId, _source.ProjectId, large.Event!.Id));
        Assert.Empty((await store.ListAsync(_source.OrganizationId, _source.ProjectId, new WebhookEventQuery(PageRequest.Default))).Items);
        Assert.Empty(await BlobNamesAsync());
    }

    [Theory]
    [InlineData("webhooks", "prj_abcdefghij234567abcd", "webhooks-prj-abcdefghij234567abcd")]
    [InlineData("webhooks", "PRJ__X", "webhooks-prj-x")]
    [InlineData("wh", "a.b_c", "wh-a-b-c")]
    public void QueueNameOf_ProjectId_IsAValidQueueName(string prefix, string projectId, string expected)
    {
        var name = StorageWebhookEventPublisher.QueueNameOf(prefix, projectId);

        Assert.Equal(expected, name);
        Assert.True(HubQueueNames.IsValidName(name) || name.Length <= 63);
    }

    private async Task<WebhookIngressResult> ReceiveAsync(byte[] body, string? eventId, string? type = null) =>
        await _hub.Get<WebhookIngress>().ReceiveAsync(Resolved(), Request(body, eventId, type), new WebhookRequestOrigin("127.0.0.1", "test", "req"));

    private async Task StoreAsIfCrashedAsync(byte[] body, string providerEventId, DateTimeOffset receivedAt)
    {
        var webhookEvent = new WebhookEvent(WebhookEventIds.For(_source.Id, "id:" + providerEventId), _source.OrganizationId, _source.ProjectId, _source.Id,
            TestWebhookScheme.SchemeName, providerEventId, null, receivedAt, new Dictionary<string, string>(), body.Length);
        var slot = await _hub.Get<IWebhookEventStore>().AddAsync(webhookEvent, body);
        Assert.True(slot.Added);
    }

    private ResolvedWebhookSource Resolved() => new(_source, [new WebhookSigningKey("k1", Secret, null)]);

    private static WebhookRequest Request(byte[] body, string? eventId, string? type = null, string? signature = null)
    {
        var headers = new List<KeyValuePair<string, string[]>>
        {
            new(TestWebhookScheme.SignatureHeader, [signature ?? TestWebhookScheme.Sign(Secret, body)]),
            new("Content-Type", ["application/json"]),
            new("Authorization", ["Bearer must-not-be-stored"]),
            new("Cookie", ["session=must-not-be-stored"]),
        };
        if (eventId is not null)
        {
            headers.Add(new("X-Test-Id", [eventId]));
        }

        if (type is not null)
        {
            headers.Add(new("X-Test-Type", [type]));
        }

        return new WebhookRequest("POST", "https://hub.example.com/v1/webhooks/x", new WebhookHeaders(headers), body, Now);
    }

    private static WebhookSource NewSource(string org, string project) =>
        new(Ids.New(WebhookSource.IdPrefix), org, project, "test", TestWebhookScheme.SchemeName, null, WebhookSourceSettings.Default,
            [new WebhookSourceKey("k1", "webhook.x.k1", Now, null)], Enabled: true, Now, Now);

    private async Task<List<JsonNode>> DrainQueueAsync()
    {
        var queue = new QueueClient(_hub.ConnectionString, StorageWebhookEventPublisher.QueueNameOf("webhooks", _source.ProjectId),
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

            messages.AddRange(batch.Select(m => JsonNode.Parse(m.Body.ToString())!));
        }
    }

    private async Task<List<string>> BlobNamesAsync()
    {
        var container = new BlobContainerClient(_hub.ConnectionString, TableWebhookEventStore.ContainerName(_hub.Prefix));
        var names = new List<string>();
        if (!await container.ExistsAsync())
        {
            return names;
        }

        await foreach (var blob in container.GetBlobsAsync(global::Azure.Storage.Blobs.Models.BlobTraits.None, global::Azure.Storage.Blobs.Models.BlobStates.None, _source.OrganizationId + "/" + _source.ProjectId + "/", CancellationToken.None))
        {
            names.Add(blob.Name);
        }

        return names;
    }

    /// <summary>The real publisher, made to fail on demand as a queue service that is down would.</summary>
    private sealed class FlakyPublisher(IWebhookEventPublisher inner) : IWebhookEventPublisher
    {
        public volatile bool Down;

        public Task EnqueueAsync(WebhookEvent webhookEvent, CancellationToken cancellationToken = default) =>
            Down ? throw new global::Azure.RequestFailedException(503, "The queue service is down.") : inner.EnqueueAsync(webhookEvent, cancellationToken);
    }

    private sealed class NoLookup : IWebhookSourceLookup
    {
        public Task<ResolvedWebhookSource?> ResolveAsync(string sourceId, CancellationToken cancellationToken = default) => Task.FromResult<ResolvedWebhookSource?>(null);

        public Task<WebhookSniffResult> SniffAsync(string projectId, WebhookHeaders headers, CancellationToken cancellationToken = default) =>
            Task.FromResult(WebhookSniffResult.Unknown("none"));

        public Task<bool> StoreHandshakeSecretAsync(WebhookSource source, string secret, CancellationToken cancellationToken = default) => Task.FromResult(false);
    }
}
