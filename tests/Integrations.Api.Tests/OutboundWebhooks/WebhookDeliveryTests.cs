using System.Text.Json.Nodes;
using Azure.Storage.Queues;
using Integrations.Api.Jobs;
using Integrations.Core.OutboundWebhooks;
using Microsoft.AspNetCore.Http;
using StandardWebhooks;

namespace Integrations.Api.Tests.OutboundWebhooks;

/// <summary>
/// Deliveries through the real Server to receivers on loopback, with the retry schedule compressed to "0s,1s,1s": signed so an
/// independent Standard Webhooks implementation verifies them, retried on schedule, Retry-After and the 429 floor honoured,
/// 410 disabling, attempts exhausted and poison ending failed, redirects not followed.
/// </summary>
public sealed class WebhookDeliveryTests(DeliveryHub hub) : IClassFixture<DeliveryHub>
{
    [Fact]
    public async Task Deliver_Receiver2xx_IsDeliveredSignedAndVerifiedByAnIndependentImplementation()
    {
        // Arrange
        var tenant = await hub.Hub.CreateTenantAsync();
        var url = hub.Receiver.Statuses(204);
        var endpoint = await hub.CreateEndpointAsync(tenant, url, new WebhookEndpointInput(Headers: new Dictionary<string, string> { ["X-Team"] = "billing" }));
        var secret = await hub.SecretOfAsync(endpoint);

        // Act
        var message = await hub.PublishAsync(endpoint, payload: """{"id":"inv_1","amount":1250,"note":"ünïcode"}""");

        // Assert: what the receiver got verifies with StandardWebhooks (codefactors), not with our code.
        var received = Assert.Single(await hub.Receiver.WaitForAsync(url, 1));
        var headers = new HeaderDictionary();
        foreach (var (name, value) in received.Headers)
        {
            headers[name] = value;
        }

        new StandardWebhook(secret).Verify(received.Body, headers);
        Assert.Equal(message.Id, received.Headers["webhook-id"]);
        Assert.StartsWith("application/json", received.Headers["Content-Type"], StringComparison.Ordinal);
        Assert.Equal("billing", received.Headers["X-Team"]);
        var body = JsonNode.Parse(received.Body)!;
        Assert.Equal("invoice.paid", (string?)body["type"]);
        Assert.Equal(message.CreatedAt, DateTimeOffset.Parse((string)body["timestamp"]!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("ünïcode", (string?)body["data"]!["note"]);

        var delivery = await hub.WaitForDeliveryAsync(message, endpoint, d => d.State == DeliveryState.Delivered);
        Assert.Equal(1, delivery.Attempts);
        Assert.Equal(204, delivery.LastStatusCode);
        var attempt = Assert.Single(await hub.AttemptsAsync(message));
        Assert.Equal(204, attempt.StatusCode);
        Assert.Null(attempt.Error);
        Assert.Equal(1, (await hub.CountersAsync(endpoint)).Count(OutboundWebhookCounters.Delivered));
    }

    [Fact]
    public async Task Deliver_TamperedBody_FailsTheIndependentVerification()
    {
        // Arrange: proves the verification above can fail.
        var tenant = await hub.Hub.CreateTenantAsync();
        var url = hub.Receiver.Statuses(200);
        var endpoint = await hub.CreateEndpointAsync(tenant, url);
        var secret = await hub.SecretOfAsync(endpoint);
        await hub.PublishAsync(endpoint);
        var received = Assert.Single(await hub.Receiver.WaitForAsync(url, 1));
        var headers = new HeaderDictionary();
        foreach (var (name, value) in received.Headers)
        {
            headers[name] = value;
        }

        // Act / Assert
        Assert.ThrowsAny<Exception>(() => new StandardWebhook(secret).Verify(received.Body.Replace("1250", "9999", StringComparison.Ordinal), headers));
    }

    [Fact]
    public async Task Deliver_PayloadTooLargeForTheTicket_IsReadFromTheMessage()
    {
        var tenant = await hub.Hub.CreateTenantAsync();
        var url = hub.Receiver.Statuses(200);
        var endpoint = await hub.CreateEndpointAsync(tenant, url);

        var message = await hub.PublishAsync(endpoint, payload: """{"big":true}""", inline: false);

        var received = Assert.Single(await hub.Receiver.WaitForAsync(url, 1));
        Assert.True((bool)JsonNode.Parse(received.Body)!["data"]!["big"]!);
        await hub.WaitForDeliveryAsync(message, endpoint, d => d.State == DeliveryState.Delivered);
    }

    [Fact]
    public async Task Deliver_ReceiverFailsTwiceThenAnswers_FollowsTheScheduleAndIsDelivered()
    {
        // Arrange
        var tenant = await hub.Hub.CreateTenantAsync();
        var url = hub.Receiver.Statuses(500, 502, 200);
        var endpoint = await hub.CreateEndpointAsync(tenant, url);

        // Act
        var message = await hub.PublishAsync(endpoint);

        // Assert: 0 s, then ~1 s (±20 %), then ~1 s: the queue held each retry, not a sleeping process.
        var received = await hub.Receiver.WaitForAsync(url, 3);
        Assert.InRange((received[1].ArrivedAt - received[0].ArrivedAt).TotalSeconds, 0.75, 10);
        Assert.InRange((received[2].ArrivedAt - received[1].ArrivedAt).TotalSeconds, 0.75, 10);
        Assert.Single(received.Select(r => r.Headers["webhook-id"]).Distinct());
        var delivery = await hub.WaitForDeliveryAsync(message, endpoint, d => d.State == DeliveryState.Delivered);
        Assert.Equal(3, delivery.Attempts);
        Assert.Equal([500, 502, 200], (await hub.AttemptsAsync(message)).OrderBy(a => a.Number).Select(a => a.StatusCode));
        Assert.Equal(2, (await hub.CountersAsync(endpoint)).Count(OutboundWebhookCounters.Retried));
    }

    [Fact]
    public async Task Deliver_ReceiverAlwaysFails_IsFailedAfterTheLastAttempt()
    {
        var tenant = await hub.Hub.CreateTenantAsync();
        var url = hub.Receiver.Statuses(503);
        var endpoint = await hub.CreateEndpointAsync(tenant, url);

        var message = await hub.PublishAsync(endpoint);

        var delivery = await hub.WaitForDeliveryAsync(message, endpoint, d => d.State == DeliveryState.Failed);
        Assert.Equal(3, delivery.Attempts);
        Assert.Equal("All 3 attempts failed.", delivery.FailureReason);
        await Task.Delay(1500);
        Assert.Equal(3, hub.Receiver.At(url).Count);
        Assert.Equal(1, (await hub.CountersAsync(endpoint)).Count(OutboundWebhookCounters.Failed));
    }

    [Fact]
    public async Task Deliver_RetryAfterLongerThanTheSchedule_WaitsForIt()
    {
        // Arrange: the schedule says 1 s; the receiver asks for 3.
        var tenant = await hub.Hub.CreateTenantAsync();
        var url = hub.Receiver.Path((context, n) =>
        {
            context.Response.StatusCode = n == 1 ? 503 : 200;
            if (n == 1)
            {
                context.Response.Headers.RetryAfter = "3";
            }

            return Task.CompletedTask;
        });
        var endpoint = await hub.CreateEndpointAsync(tenant, url);

        // Act
        var message = await hub.PublishAsync(endpoint);

        // Assert
        var received = await hub.Receiver.WaitForAsync(url, 2);
        Assert.InRange((received[1].ArrivedAt - received[0].ArrivedAt).TotalSeconds, 2.9, 15);
        await hub.WaitForDeliveryAsync(message, endpoint, d => d.State == DeliveryState.Delivered);
    }

    [Fact]
    public async Task Deliver_429_WaitsAtLeastSixtySeconds()
    {
        var tenant = await hub.Hub.CreateTenantAsync();
        var url = hub.Receiver.Statuses(429, 200);
        var endpoint = await hub.CreateEndpointAsync(tenant, url);

        var message = await hub.PublishAsync(endpoint);

        var delivery = await hub.WaitForDeliveryAsync(message, endpoint, d => d.State == DeliveryState.Retrying);
        Assert.True(delivery.NextAttemptAt - delivery.LastAttemptAt >= TimeSpan.FromSeconds(59.9), $"{delivery.LastAttemptAt:O} → {delivery.NextAttemptAt:O}");
        Assert.Equal(429, delivery.LastStatusCode);
        await Task.Delay(2000);
        Assert.Single(hub.Receiver.At(url));
    }

    [Fact]
    public async Task Deliver_410Gone_FailsAndDisablesTheEndpoint()
    {
        // Arrange
        var tenant = await hub.Hub.CreateTenantAsync();
        var url = hub.Receiver.Statuses(410);
        var endpoint = await hub.CreateEndpointAsync(tenant, url);

        // Act
        var message = await hub.PublishAsync(endpoint);

        // Assert: one attempt, no retry; the endpoint is off with the reason, and the next message is not sent.
        var delivery = await hub.WaitForDeliveryAsync(message, endpoint, d => d.State == DeliveryState.Failed);
        Assert.Equal(WebhookDeliveryJob.GoneReason, delivery.FailureReason);
        var stored = await hub.StoredEndpointAsync(endpoint);
        Assert.False(stored!.Enabled);
        Assert.Contains("410", stored.DisabledReason, StringComparison.Ordinal);

        var next = await hub.PublishAsync(endpoint);
        var skipped = await hub.WaitForDeliveryAsync(next, endpoint, d => d.State == DeliveryState.Failed);
        Assert.Equal(0, skipped.Attempts);
        Assert.Contains("disabled", skipped.FailureReason, StringComparison.Ordinal);
        Assert.Single(hub.Receiver.At(url));
    }

    [Fact]
    public async Task Deliver_Redirect_IsNotFollowedAndCountsAsAFailedAttempt()
    {
        // The redirect points at another loopback path that records hits: following it would show there, and a broken
        // redirect rule still sends nothing off this machine (private targets are the guard's decision, tested without a socket).
        var tenant = await hub.Hub.CreateTenantAsync();
        var elsewhere = hub.Receiver.Statuses(200);
        var url = hub.Receiver.Path((context, _) =>
        {
            context.Response.StatusCode = 302;
            context.Response.Headers.Location = elsewhere;
            return Task.CompletedTask;
        });
        var endpoint = await hub.CreateEndpointAsync(tenant, url);

        var message = await hub.PublishAsync(endpoint);

        var delivery = await hub.WaitForDeliveryAsync(message, endpoint, d => d.State == DeliveryState.Failed);
        Assert.Equal(3, delivery.Attempts);
        Assert.All(await hub.AttemptsAsync(message), a => Assert.Equal(302, a.StatusCode));
        Assert.Equal(3, hub.Receiver.At(url).Count);
        Assert.Empty(hub.Receiver.At(elsewhere));
    }

    [Fact]
    public async Task Deliver_EndpointDeleted_FailsWithoutSending()
    {
        var tenant = await hub.Hub.CreateTenantAsync();
        var url = hub.Receiver.Statuses(200);
        var endpoint = await hub.CreateEndpointAsync(tenant, url);
        var project = new Core.Tenancy.Project(tenant.ProjectId, tenant.OrganizationId, "p", "test", DateTimeOffset.UnixEpoch);
        var message = await hub.PublishAsync(endpoint);
        await hub.WaitForDeliveryAsync(message, endpoint, d => d.State == DeliveryState.Delivered);
        Assert.True((await hub.Service<WebhookEndpointService>().DeleteAsync(project, endpoint.Id, "usr_test")).IsSuccess);

        var next = await hub.PublishAsync(endpoint);

        var failed = await hub.WaitForDeliveryAsync(next, endpoint, d => d.State == DeliveryState.Failed);
        Assert.Equal("The endpoint was deleted.", failed.FailureReason);
        Assert.Single(hub.Receiver.At(url));
    }

    [Fact]
    public async Task Poison_TicketInThePoisonQueue_EndsFailedWithAReason()
    {
        // Arrange: a ticket as the host moves it after its last failed try (the Server and Functions both write {queue}-poison).
        var tenant = await hub.Hub.CreateTenantAsync();
        var url = hub.Receiver.Statuses(200);
        var endpoint = await hub.CreateEndpointAsync(tenant, url);
        var now = hub.Service<TimeProvider>().GetUtcNow();
        var message = new OutboundMessage(Core.Common.Ids.New(OutboundMessage.IdPrefix), endpoint.OrganizationId, endpoint.ProjectId, "invoice.paid", "{}"u8.ToArray(), null, "api", now);
        await hub.Service<IOutboundMessageStore>().AddAsync(message,
            [new WebhookDelivery(endpoint.OrganizationId, endpoint.ProjectId, message.Id, endpoint.Id, "invoice.paid", DeliveryState.Pending, 0, now, null, null, null, now, now)]);
        var poison = hub.Service<QueueServiceClient>().GetQueueClient(hub.QueueName + "-poison");
        await poison.CreateIfNotExistsAsync();

        // Act
        await poison.SendMessageAsync(DeliveryHub.TicketJson(message, endpoint.Id, "{}"));

        // Assert: drained into a failed delivery (listable, replayable), the message never sent. (The endpoint takes every
        // event type, so the hub's own webhook.deliveries_poisoned alert about this drain may well arrive there.)
        var delivery = await hub.WaitForDeliveryAsync(message, endpoint, d => d.State == DeliveryState.Failed);
        Assert.Equal(DrainWebhookDeliveryPoisonJob.PoisonReason, delivery.FailureReason);
        Assert.DoesNotContain(hub.Receiver.At(url), r => r.Headers["webhook-id"] == message.Id);
    }

    [Fact]
    public async Task Deliver_RateLimitOnePerSecond_SpacesTheDeliveries()
    {
        var tenant = await hub.Hub.CreateTenantAsync();
        var url = hub.Receiver.Statuses(200);
        var endpoint = await hub.CreateEndpointAsync(tenant, url, new WebhookEndpointInput(RateLimitPerSecond: 1));

        var messages = new List<OutboundMessage>();
        for (var i = 0; i < 3; i++)
        {
            messages.Add(await hub.PublishAsync(endpoint));
        }

        var received = await hub.Receiver.WaitForAsync(url, 3);
        Assert.True(received[2].ArrivedAt - received[0].ArrivedAt >= TimeSpan.FromSeconds(1.9), $"{received[0].ArrivedAt} … {received[2].ArrivedAt}");
        foreach (var message in messages)
        {
            var delivery = await hub.WaitForDeliveryAsync(message, endpoint, d => d.State == DeliveryState.Delivered);
            Assert.Equal(1, delivery.Attempts);
        }
    }
}
