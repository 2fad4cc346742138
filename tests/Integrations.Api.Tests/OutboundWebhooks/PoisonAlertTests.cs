using System.Net;
using Azure.Storage.Queues;
using Integrations.Core.OutboundWebhooks;
using static Integrations.Api.Tests.HubFixture;

namespace Integrations.Api.Tests.OutboundWebhooks;

/// <summary>The delivery hub with a one-day alert window, so a test run never straddles two windows but at midnight UTC.</summary>
public sealed class PoisonAlertHub : DeliveryHub
{
    protected override void Configure(HubFixture hub) => hub.Settings["Webhooks:PoisonAlertWindow"] = "1.00:00:00";
}

/// <summary>Deliveries that land in the poison queue tell their project once per window (the drain runs every second here).</summary>
public sealed class PoisonAlertTests(PoisonAlertHub hub) : IClassFixture<PoisonAlertHub>
{
    [Fact]
    public async Task Drain_PoisonedTicketsOfAProject_RaiseOneDeliveriesPoisonedEventPerWindow()
    {
        // Arrange: two of a project's tickets as the host moves them after their last failed try, and another project's none.
        var tenant = await hub.Hub.CreateTenantAsync();
        var quietTenant = await hub.Hub.CreateTenantAsync();
        var endpoint = await hub.CreateEndpointAsync(tenant, hub.Receiver.Statuses(200));
        await hub.CreateEndpointAsync(quietTenant, hub.Receiver.Statuses(200));
        var poison = hub.Service<QueueServiceClient>().GetQueueClient(hub.QueueName + "-poison");
        await poison.CreateIfNotExistsAsync();
        var first = await StoreAsync(endpoint);
        var second = await StoreAsync(endpoint);

        // Act: one ticket, drained; then the second, drained by a later run in the same window.
        await poison.SendMessageAsync(DeliveryHub.TicketJson(first, endpoint.Id, "{}"));
        await hub.WaitForDeliveryAsync(first, endpoint, d => d.State == DeliveryState.Failed);
        await poison.SendMessageAsync(DeliveryHub.TicketJson(second, endpoint.Id, "{}"));
        await hub.WaitForDeliveryAsync(second, endpoint, d => d.State == DeliveryState.Failed);
        await Task.Delay(TimeSpan.FromSeconds(2));

        // Assert
        using var owner = hub.Hub.Client(tenant.OwnerKey);
        var events = await Json(await owner.GetAsync($"/v1/projects/{tenant.ProjectId}/activity?type=webhook.deliveries_poisoned"), HttpStatusCode.OK);
        var only = Assert.Single(events["data"]!.AsArray());
        Assert.Equal("webhook-delivery", (string?)only!["data"]!["queue"]);
        // The count is what the raising run drained: one, or both when that run was still draining as the second arrived.
        Assert.Contains((string?)only["data"]!["count"], new[] { "1", "2" });
        using var other = hub.Hub.Client(quietTenant.OwnerKey);
        var none = await Json(await other.GetAsync($"/v1/projects/{quietTenant.ProjectId}/activity?type=webhook.deliveries_poisoned"), HttpStatusCode.OK);
        Assert.Empty(none["data"]!.AsArray());
    }

    private async Task<OutboundMessage> StoreAsync(WebhookEndpoint endpoint)
    {
        var now = hub.Service<TimeProvider>().GetUtcNow();
        var message = new OutboundMessage(Core.Common.Ids.New(OutboundMessage.IdPrefix), endpoint.OrganizationId, endpoint.ProjectId, "invoice.paid", "{}"u8.ToArray(), null, "api", now);
        await hub.Service<IOutboundMessageStore>().AddAsync(message,
            [new WebhookDelivery(endpoint.OrganizationId, endpoint.ProjectId, message.Id, endpoint.Id, "invoice.paid", DeliveryState.Pending, 0, now, null, null, null, now, now)]);
        return message;
    }
}
