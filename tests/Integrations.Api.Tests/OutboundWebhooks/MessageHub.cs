using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Storage.Queues;
using Integrations.Api.Tests.Webhooks;
using Integrations.Core.Common;
using Integrations.Core.Counters;
using Integrations.Core.Jobs;
using Integrations.Core.OutboundWebhooks;
using Integrations.Core.Webhooks;
using Integrations.Server.Jobs;
using Integrations.Testing.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using static Integrations.Api.Tests.HubFixture;

namespace Integrations.Api.Tests.OutboundWebhooks;

/// <summary>
/// The Server with the delivery queue's worker left out, so that the tickets a test causes stay on the queue for it to read
/// with the Storage SDK; the endpoint cache off (endpoints written during a test are seen at once); a small
/// <c>Webhooks:MaxMessageBytes</c>; counters in memory; the test signature scheme for inbound events.
/// </summary>
public sealed class MessageHub : IAsyncLifetime
{
    public const int MaxMessageBytes = 8192;

    public const string SourceSecret = "messages-test-secret-0123456789";

    private readonly List<DeliveryTicket> _tickets = [];

    public HubFixture Hub { get; } = new();

    public InMemoryCounters Counters { get; } = new();

    public QueueClient DeliveryQueue =>
        Hub.Services.GetRequiredService<QueueServiceClient>().GetQueueClient(Hub.Services.GetRequiredService<IJobQueueNames>().NameOf(JobQueues.WebhookDelivery));

    public async Task InitializeAsync()
    {
        Hub.Settings["Webhooks:EndpointCacheDuration"] = "00:00:00";
        Hub.Settings["Webhooks:MaxMessageBytes"] = MaxMessageBytes.ToString(System.Globalization.CultureInfo.InvariantCulture);
        // The scheduled fan-out recovery looks only at markers an hour old: tests run the recovery themselves.
        Hub.Settings["Webhooks:FanOutRecoveryAfter"] = "01:00:00";
        Hub.ConfigureServices = services =>
        {
            services.AddSingleton<IWebhookScheme, TestWebhookScheme>();
            services.RemoveAll<IHubCounters>();
            services.AddSingleton<IHubCounters>(Counters);
            LeaveOutDeliveryWorker(services);
        };
        await Hub.InitializeAsync();
        await DeliveryQueue.CreateIfNotExistsAsync();
    }

    public Task DisposeAsync() => Hub.DisposeAsync();

    /// <summary>Every ticket on the delivery queue so far (read, kept here, and deleted from the queue) for <paramref name="messageId"/>.</summary>
    public async Task<IReadOnlyList<DeliveryTicket>> TicketsAsync(string messageId)
    {
        while (true)
        {
            var batch = (await DeliveryQueue.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(1))).Value;
            if (batch.Length == 0)
            {
                break;
            }

            foreach (var message in batch)
            {
                _tickets.Add(JsonSerializer.Deserialize<DeliveryTicket>(message.Body.ToString(), JsonSerializerOptions.Web)!);
                await DeliveryQueue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
            }
        }

        return _tickets.Where(t => t.MessageId == messageId).ToList();
    }

    /// <summary>The tickets of <paramref name="messageId"/> once there are <paramref name="count"/> (queued after the response, e.g. by an inbound handler).</summary>
    public async Task<IReadOnlyList<DeliveryTicket>> TicketsEventuallyAsync(string messageId, int count)
    {
        for (var i = 0; i < 100; i++)
        {
            var tickets = await TicketsAsync(messageId);
            if (tickets.Count >= count)
            {
                return tickets;
            }

            await Task.Delay(100);
        }

        return await TicketsAsync(messageId);
    }

    /// <summary>An endpoint written through the endpoint store (no signing key: nothing is delivered in these tests).</summary>
    public async Task<string> CreateEndpointAsync(Tenant tenant, IReadOnlyList<string> eventTypes, bool enabled = true)
    {
        var now = TimeProvider.System.GetUtcNow();
        var endpoint = new WebhookEndpoint(Ids.New(WebhookEndpoint.IdPrefix), tenant.OrganizationId, tenant.ProjectId, new Uri("http://127.0.0.1:9/hook"), null, eventTypes,
            enabled, null, null, WebhookEndpoint.DefaultTimeout, EndpointRetryPolicy.Default, new Dictionary<string, string>(), [], now, now);
        Assert.Equal(WriteOutcome.Written, await Hub.Services.GetRequiredService<IWebhookEndpointStore>().TryCreateAsync(endpoint));
        return endpoint.Id;
    }

    public static string Messages(Tenant tenant) => $"/v1/projects/{tenant.ProjectId}/messages";

    public static string Endpoint(Tenant tenant, string endpointId) => $"/v1/projects/{tenant.ProjectId}/webhook-endpoints/{endpointId}";

    public static async Task<JsonElement> SendAsync(HttpClient client, Tenant tenant, string eventType, object payload, string? idempotencyKey = null)
    {
        var response = await client.PostAsJsonAsync(Messages(tenant), new { event_type = eventType, payload, idempotency_key = idempotencyKey });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"Expected 202, got {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    // The worker of the delivery queue would take the tickets this fixture reads; the Server's other hosted services stay.
    private static void LeaveOutDeliveryWorker(IServiceCollection services)
    {
        for (var i = 0; i < services.Count; i++)
        {
            if (services[i].ServiceType == typeof(IHostedService) && services[i].ImplementationFactory is { } factory)
            {
                services[i] = ServiceDescriptor.Singleton<IHostedService>(sp =>
                {
                    var service = (IHostedService)factory(sp);
                    return service is QueueJobService { Job.Queue.Id: var id } && id == JobQueues.WebhookDelivery.Id ? new Idle() : service;
                });
            }
        }
    }

    private sealed class Idle : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
