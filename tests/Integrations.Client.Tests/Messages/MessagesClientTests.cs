using System.Text.Json;
using Integrations.Client.Messages;
using Integrations.Client.Tests.Webhooks;
using Integrations.Client.WebhookEndpoints;
using Integrations.Client.Webhooks;

namespace Integrations.Client.Tests.Messages;

/// <summary>Outbound messages, every method once, against the Server process delivering to loopback receivers that verify each delivery.</summary>
[Collection(HubServerGroup.Name)]
public sealed class MessagesClientTests(HubServer hub)
{
    [Fact]
    public async Task SendTwiceWithOneIdempotencyKey_DeliversOnceVerifiedAndAnswersTheFirstMessage()
    {
        // Arrange
        var tenant = await hub.NewTenantAsync();
        using var client = hub.Client(tenant);
        using var receiver = new CapturingReceiver();
        var endpoint = await client.WebhookEndpoints.CreateAsync(tenant.ProjectId, new NewWebhookEndpoint(receiver.Url) { EventTypes = ["invoice.*"] });
        var secrets = await client.WebhookEndpoints.RevealSecretsAsync(tenant.ProjectId, endpoint.Id);
        var message = NewMessage.Create("invoice.paid", new { invoiceId = "in_1", amount = 4200 }) with { IdempotencyKey = "invoice-in_1-paid" };

        // Act
        var first = await client.Messages.SendAsync(tenant.ProjectId, message);
        var repeat = await client.Messages.SendAsync(tenant.ProjectId, message);
        var (headers, body) = await receiver.NextAsync(TimeSpan.FromSeconds(30));
        var evt = WebhookVerifier.Verify(secrets.Secrets, headers, body);
        var read = await Eventually.UntilAsync(() => client.Messages.GetAsync(tenant.ProjectId, first.Id), m => m.Deliveries.Single().State == "delivered");
        var listed = await client.Messages.ListAsync(tenant.ProjectId, new MessageQuery { EventType = "invoice.paid" });
        var attempts = await client.Messages.ListAttemptsAsync(tenant.ProjectId, first.Id);

        // Assert
        Assert.StartsWith("msg_", first.Id, StringComparison.Ordinal);
        Assert.False(first.Duplicate);
        Assert.Equal(1, first.Deliveries);
        Assert.True(repeat.Duplicate);
        Assert.Equal(first.Id, repeat.Id);
        Assert.StartsWith("ApiKey:", read.SentBy, StringComparison.Ordinal);
        Assert.Equal(first.Id, evt.Id);
        Assert.Equal("invoice.paid", evt.Type);
        using (var delivered = JsonDocument.Parse(evt.Body))
        {
            Assert.Equal(4200, delivered.RootElement.GetProperty("data").GetProperty("amount").GetInt32());
            Assert.Equal("in_1", delivered.RootElement.GetProperty("data").GetProperty("invoiceId").GetString()); // the payload's own names, not snake_case
        }

        Assert.Equal("in_1", read.Payload.GetProperty("invoiceId").GetString());
        Assert.Equal("invoice-in_1-paid", read.IdempotencyKey);
        Assert.Equal(endpoint.Id, read.Deliveries.Single().EndpointId);
        Assert.Equal([first.Id], listed.Data.Select(m => m.Id));
        var attempt = Assert.Single(attempts);
        Assert.True(attempt.Succeeded);
        Assert.Equal(204, attempt.StatusCode);
        Assert.False(await receiver.HasDeliveryWithinAsync(TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task Replay_AllEndpointsThenOne_DeliversTheSameMessageAgainToEach()
    {
        // Arrange: two endpoints, the message delivered to both.
        var tenant = await hub.NewTenantAsync();
        using var client = hub.Client(tenant);
        using var first = new CapturingReceiver();
        using var second = new CapturingReceiver();
        var one = await client.WebhookEndpoints.CreateAsync(tenant.ProjectId, new NewWebhookEndpoint(first.Url));
        var two = await client.WebhookEndpoints.CreateAsync(tenant.ProjectId, new NewWebhookEndpoint(second.Url));
        var secretOfTwo = (await client.WebhookEndpoints.RevealSecretsAsync(tenant.ProjectId, two.Id)).Secrets;
        var sent = await client.Messages.SendAsync(tenant.ProjectId, NewMessage.Create("user.created", new { id = "u1" }));
        await first.NextAsync(TimeSpan.FromSeconds(30));
        await second.NextAsync(TimeSpan.FromSeconds(30));

        // Act
        var toAll = await client.Messages.ReplayAsync(tenant.ProjectId, sent.Id);
        await first.NextAsync(TimeSpan.FromSeconds(30));
        await second.NextAsync(TimeSpan.FromSeconds(30));
        var toOne = await client.Messages.ReplayAsync(tenant.ProjectId, sent.Id, two.Id);
        var (headers, body) = await second.NextAsync(TimeSpan.FromSeconds(30));

        // Assert
        Assert.Equal(2, toAll.Count);
        Assert.Equal(new[] { one.Id, two.Id }.Order(StringComparer.Ordinal), toAll.EndpointIds.Order(StringComparer.Ordinal));
        Assert.Equal([two.Id], toOne.EndpointIds);
        Assert.Equal(sent.Id, WebhookVerifier.Verify(secretOfTwo, headers, body).Id);
        Assert.False(await first.HasDeliveryWithinAsync(TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task Send_InvalidEventType_ThrowsValidationExceptionNamingTheField()
    {
        var tenant = await hub.NewTenantAsync();
        using var client = hub.Client(tenant);

        var error = await Assert.ThrowsAsync<HubValidationException>(() =>
            client.Messages.SendAsync(tenant.ProjectId, NewMessage.Create("not a type!", new { })));

        Assert.Equal("event_type", error.Field);
    }

    [Fact]
    public async Task GetAttemptsReplay_AnotherOrganizationsKey_ThrowsNotFound()
    {
        var tenant = await hub.NewTenantAsync();
        var other = await hub.NewTenantAsync();
        using var client = hub.Client(tenant);
        using var intruder = hub.Client(other);
        var sent = await client.Messages.SendAsync(tenant.ProjectId, NewMessage.Create("user.created", new { id = "u1" }));

        await Assert.ThrowsAsync<HubNotFoundException>(() => intruder.Messages.GetAsync(tenant.ProjectId, sent.Id));
        await Assert.ThrowsAsync<HubNotFoundException>(() => intruder.Messages.GetAsync(other.ProjectId, sent.Id));
        await Assert.ThrowsAsync<HubNotFoundException>(() => intruder.Messages.ListAttemptsAsync(other.ProjectId, sent.Id));
        await Assert.ThrowsAsync<HubNotFoundException>(() => intruder.Messages.ReplayAsync(other.ProjectId, sent.Id));
    }
}
