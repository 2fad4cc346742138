using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Integrations.Api.Jobs;
using Integrations.Core.Common;
using Integrations.Core.Counters;
using Integrations.Core.OutboundWebhooks;
using Integrations.Core.Tenancy;
using Microsoft.Extensions.DependencyInjection;

namespace Integrations.Api.Tests.OutboundWebhooks;

/// <summary>
/// The real Server on Azurite with a compressed retry schedule and loopback allowed, plus a receiver on loopback. Messages are
/// stored and their first tickets queued as the fan-out does (the real stores and queue), so each test drives the delivery job.
/// </summary>
public class DeliveryHub : IAsyncLifetime
{
    public HubFixture Hub { get; } = new();

    public WebhookReceiver Receiver { get; private set; } = null!;

    protected virtual string RetrySchedule => "0s,1s,1s";

    protected virtual string? AllowedNetwork => "127.0.0.0/8";

    public virtual async Task InitializeAsync()
    {
        Hub.Settings["Webhooks:RetrySchedule"] = RetrySchedule;
        if (AllowedNetwork is { } network)
        {
            Hub.Settings["OutboundHttp:AllowedNetworks:0"] = network;
        }

        // No breaker opens within a test: the attempts counted are the schedule's alone.
        Hub.Settings["OutboundHttp:CircuitBreaker:MinimumThroughput"] = "1000";
        Hub.Settings["Webhooks:PoisonDrainSchedule"] = "* * * * * *";
        Hub.Settings["Webhooks:EndpointCacheDuration"] = "00:00:00";
        Configure(Hub);
        Receiver = await WebhookReceiver.StartAsync();
        await Hub.InitializeAsync();
    }

    public virtual async Task DisposeAsync()
    {
        await Hub.DisposeAsync();
        await Receiver.DisposeAsync();
    }

    protected virtual void Configure(HubFixture hub)
    {
    }

    public T Service<T>()
        where T : notnull => Hub.Services.GetRequiredService<T>();

    public async Task<WebhookEndpoint> CreateEndpointAsync(Tenant tenant, string url, WebhookEndpointInput? input = null)
    {
        var project = new Project(tenant.ProjectId, tenant.OrganizationId, "p", "test", DateTimeOffset.UnixEpoch);
        var created = await Service<WebhookEndpointService>().CreateAsync(project, (input ?? new WebhookEndpointInput()) with { Url = url }, "usr_test");
        Assert.True(created.IsSuccess, created.Error?.Message);
        return created.Value!;
    }

    public async Task<string> SecretOfAsync(WebhookEndpoint endpoint)
    {
        var project = new Project(endpoint.ProjectId, endpoint.OrganizationId, "p", "test", DateTimeOffset.UnixEpoch);
        var revealed = await Service<WebhookEndpointService>().RevealAsync(project, endpoint.Id);
        return Assert.Single(revealed.Value!).Secret;
    }

    /// <summary>Stores a message with its delivery to <paramref name="endpoint"/> and queues its first ticket, as the fan-out does.</summary>
    public async Task<OutboundMessage> PublishAsync(WebhookEndpoint endpoint, string eventType = "invoice.paid", string payload = """{"id":"inv_1","amount":1250}""", bool inline = true)
    {
        var now = Service<TimeProvider>().GetUtcNow();
        var message = new OutboundMessage(Ids.New(OutboundMessage.IdPrefix), endpoint.OrganizationId, endpoint.ProjectId, eventType, Encoding.UTF8.GetBytes(payload), null, "api", now);
        var delivery = new WebhookDelivery(endpoint.OrganizationId, endpoint.ProjectId, message.Id, endpoint.Id, eventType, DeliveryState.Pending, 0, now, null, null, null, now, now);
        var (_, added) = await Service<IOutboundMessageStore>().AddAsync(message, [delivery]);
        Assert.True(added);
        await Service<IJobDispatcher>().EnqueueAsync(JobQueues.WebhookDelivery, TicketJson(message, endpoint.Id, inline ? payload : null));
        return message;
    }

    public static string TicketJson(OutboundMessage message, string endpointId, string? payload, int attempt = 1) =>
        JsonSerializer.Serialize(new DeliveryTicket(message.OrganizationId, message.ProjectId, message.Id, endpointId, attempt, message.EventType, message.CreatedAt, payload),
            JsonSerializerOptions.Web);

    public Task<WebhookDelivery?> DeliveryAsync(OutboundMessage message, WebhookEndpoint endpoint) =>
        Service<IWebhookDeliveryStore>().GetAsync(message.OrganizationId, message.ProjectId, message.Id, endpoint.Id);

    /// <summary>Waits until the delivery's row satisfies <paramref name="condition"/>.</summary>
    public async Task<WebhookDelivery> WaitForDeliveryAsync(OutboundMessage message, WebhookEndpoint endpoint, Func<WebhookDelivery, bool> condition, TimeSpan? timeout = null)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var delivery = await DeliveryAsync(message, endpoint);
            if (delivery is not null && condition(delivery))
            {
                return delivery;
            }

            Assert.True(clock.Elapsed < (timeout ?? TimeSpan.FromSeconds(30)),
                $"The delivery did not get there: {delivery?.State} after {delivery?.Attempts} attempts ({delivery?.FailureReason}).");
            await Task.Delay(100);
        }
    }

    public Task<IReadOnlyList<DeliveryAttempt>> AttemptsAsync(OutboundMessage message) =>
        Service<IWebhookDeliveryStore>().ListAttemptsByMessageAsync(message.OrganizationId, message.ProjectId, message.Id);

    public async Task<CounterTotals> CountersAsync(WebhookEndpoint endpoint) =>
        await Service<IHubCounters>().ReadAsync(OutboundWebhookCounters.KeyOf(endpoint.OrganizationId, endpoint.ProjectId, endpoint.Id), Service<TimeProvider>().GetUtcNow().AddHours(-1));

    public Task<WebhookEndpoint?> StoredEndpointAsync(WebhookEndpoint endpoint) =>
        Service<IWebhookEndpointStore>().GetAsync(endpoint.OrganizationId, endpoint.ProjectId, endpoint.Id);

    /// <summary>What reaches the delivery job's queue name.</summary>
    public string QueueName => Service<Core.Jobs.IJobQueueNames>().NameOf(QueueJobs.WebhookDelivery.Queue);
}
