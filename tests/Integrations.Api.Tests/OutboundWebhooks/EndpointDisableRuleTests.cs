using Integrations.Core.OutboundWebhooks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Integrations.Api.Tests.OutboundWebhooks;

/// <summary>The Server on a clock a test can move forward (timers stay real, so the queue workers keep polling).</summary>
public sealed class ShiftedClockDeliveryHub : DeliveryHub
{
    public ShiftedTimeProvider Clock { get; } = new();

    protected override void Configure(HubFixture hub) =>
        hub.ConfigureServices = services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Clock);
        };
}

/// <summary>The system clock plus an offset the test sets.</summary>
public sealed class ShiftedTimeProvider : TimeProvider
{
    private long _offsetTicks;

    public TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;
}

/// <summary>The 5-day rule through the real Server: an endpoint failing for Webhooks:EndpointDisableAfter without a success is disabled.</summary>
public sealed class EndpointDisableRuleTests(ShiftedClockDeliveryHub hub) : IClassFixture<ShiftedClockDeliveryHub>
{
    [Fact]
    public async Task Deliver_FailingForFiveDaysWithoutSuccess_DisablesTheEndpoint()
    {
        // Arrange: a first message fails every attempt — the endpoint stays enabled.
        var tenant = await hub.Hub.CreateTenantAsync();
        var url = hub.Receiver.Statuses(500);
        var endpoint = await hub.CreateEndpointAsync(tenant, url);
        var first = await hub.PublishAsync(endpoint);
        await hub.WaitForDeliveryAsync(first, endpoint, d => d.State == DeliveryState.Failed);
        Assert.True((await hub.StoredEndpointAsync(endpoint))!.Enabled);

        // Act: five days (and a little) later, the next message fails too.
        hub.Clock.Advance(TimeSpan.FromDays(5) + TimeSpan.FromMinutes(2));
        var second = await hub.PublishAsync(endpoint);

        // Assert: disabled after that attempt, with the reason; the delivery ends failed instead of retrying.
        var delivery = await hub.WaitForDeliveryAsync(second, endpoint, d => d.State == DeliveryState.Failed);
        Assert.Equal(1, delivery.Attempts);
        Assert.Contains("5 days", delivery.FailureReason, StringComparison.Ordinal);
        var stored = await hub.StoredEndpointAsync(endpoint);
        Assert.False(stored!.Enabled);
        Assert.Contains("without a success", stored.DisabledReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deliver_FailingForFiveDaysWithASuccessBetween_KeepsTheEndpoint()
    {
        // Arrange: a failure, then a success two days later.
        var tenant = await hub.Hub.CreateTenantAsync();
        var ok = false;
        var url = hub.Receiver.Path((context, _) =>
        {
            context.Response.StatusCode = Volatile.Read(ref ok) ? 200 : 500;
            return Task.CompletedTask;
        });
        var endpoint = await hub.CreateEndpointAsync(tenant, url);
        await hub.WaitForDeliveryAsync(await hub.PublishAsync(endpoint), endpoint, d => d.State == DeliveryState.Failed);
        hub.Clock.Advance(TimeSpan.FromDays(2));
        Volatile.Write(ref ok, true);
        await hub.WaitForDeliveryAsync(await hub.PublishAsync(endpoint), endpoint, d => d.State == DeliveryState.Delivered);
        Volatile.Write(ref ok, false);

        // Act: five days after the first failure, three after the success.
        hub.Clock.Advance(TimeSpan.FromDays(3) + TimeSpan.FromMinutes(2));
        var next = await hub.PublishAsync(endpoint);

        // Assert
        var delivery = await hub.WaitForDeliveryAsync(next, endpoint, d => d.State == DeliveryState.Retrying || d.State == DeliveryState.Failed);
        Assert.Equal(DeliveryState.Retrying, delivery.State);
        Assert.True((await hub.StoredEndpointAsync(endpoint))!.Enabled);
    }
}
