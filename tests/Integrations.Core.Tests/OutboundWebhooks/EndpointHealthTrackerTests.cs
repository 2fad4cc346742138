using Integrations.Core.Counters;
using Integrations.Core.OutboundWebhooks;
using Integrations.Core.Tests.Counters;
using Integrations.Core.Webhooks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Integrations.Core.Tests.OutboundWebhooks;

/// <summary>The 5-day rule, on a fake clock, over the real counters (two instances share one in-memory counter store).</summary>
public sealed class EndpointHealthTrackerTests
{
    private const string Org = "org_1";
    private const string Project = "prj_1";
    private const string Endpoint = "wep_1";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero));
    private readonly InMemoryCounterStore _store = new();
    private readonly RecordingDirectory _directory = new();

    [Fact]
    public async Task RecordFailure_FailingForLessThanFiveDays_KeepsTheEndpoint()
    {
        var (tracker, _) = Instance();
        Assert.Null(await tracker.RecordFailureAsync(Org, Project, Endpoint));

        _time.Advance(TimeSpan.FromDays(5) - TimeSpan.FromMinutes(1));
        var reason = await tracker.RecordFailureAsync(Org, Project, Endpoint);

        Assert.Null(reason);
        Assert.Empty(_directory.Disabled);
    }

    [Fact]
    public async Task RecordFailure_FailingForFiveDaysWithoutSuccess_DisablesOnceWithAReason()
    {
        var (tracker, _) = Instance();
        await tracker.RecordFailureAsync(Org, Project, Endpoint);
        for (var day = 1; day <= 4; day++)
        {
            _time.Advance(TimeSpan.FromDays(1));
            Assert.Null(await tracker.RecordFailureAsync(Org, Project, Endpoint));
        }

        _time.Advance(TimeSpan.FromDays(1));
        var reason = await tracker.RecordFailureAsync(Org, Project, Endpoint);

        Assert.NotNull(reason);
        Assert.Contains("5 days", reason, StringComparison.Ordinal);
        var disabled = Assert.Single(_directory.Disabled);
        Assert.Equal((Org, Project, Endpoint), (disabled.Organization, disabled.Project, disabled.Endpoint));
    }

    [Fact]
    public async Task RecordFailure_ASuccessInBetween_StartsTheFiveDaysAgain()
    {
        var (tracker, _) = Instance();
        await tracker.RecordFailureAsync(Org, Project, Endpoint);
        _time.Advance(TimeSpan.FromDays(3));
        tracker.RecordSuccess(Org, Project, Endpoint);
        _time.Advance(TimeSpan.FromMinutes(1));
        await tracker.RecordFailureAsync(Org, Project, Endpoint);

        _time.Advance(TimeSpan.FromDays(3));
        Assert.Null(await tracker.RecordFailureAsync(Org, Project, Endpoint));
        _time.Advance(TimeSpan.FromDays(2));
        Assert.NotNull(await tracker.RecordFailureAsync(Org, Project, Endpoint));
    }

    [Fact]
    public async Task RecordFailure_RunStartedOnAnotherInstance_CountsFromItsStart()
    {
        // Arrange: instance A sees the first failure and flushes; B has never seen this endpoint.
        var (a, countersA) = Instance();
        var (b, _) = Instance();
        await a.RecordFailureAsync(Org, Project, Endpoint);
        await countersA.FlushAsync();
        _time.Advance(TimeSpan.FromDays(5) + TimeSpan.FromMinutes(1));

        // Act
        var reason = await b.RecordFailureAsync(Org, Project, Endpoint);

        // Assert
        Assert.NotNull(reason);
        Assert.Single(_directory.Disabled);
    }

    [Fact]
    public async Task RecordFailure_SuccessOnAnotherInstance_KeepsTheEndpoint()
    {
        // Arrange: A has failed for five days as far as it knows, but B delivered one meanwhile and flushed it.
        var (a, _) = Instance();
        var (b, countersB) = Instance();
        await a.RecordFailureAsync(Org, Project, Endpoint);
        _time.Advance(TimeSpan.FromDays(4));
        b.RecordSuccess(Org, Project, Endpoint);
        await countersB.FlushAsync();
        _time.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));

        // Act
        var reason = await a.RecordFailureAsync(Org, Project, Endpoint);

        // Assert
        Assert.Null(reason);
        Assert.Empty(_directory.Disabled);
    }

    [Fact]
    public async Task RecordFailure_OtherEndpoint_IsNotAffected()
    {
        var (tracker, _) = Instance();
        await tracker.RecordFailureAsync(Org, Project, Endpoint);
        _time.Advance(TimeSpan.FromDays(6));

        Assert.Null(await tracker.RecordFailureAsync(Org, Project, "wep_2"));
        Assert.Empty(_directory.Disabled);
    }

    private (EndpointHealthTracker Tracker, HubCounters Counters) Instance()
    {
        var counters = new HubCounters(_store, Options.Create(new CounterOptions()), _time, NullLogger<HubCounters>.Instance);
        var tracker = new EndpointHealthTracker(counters, _directory, Options.Create(new WebhookOptions()), _time, NullLogger<EndpointHealthTracker>.Instance);
        return (tracker, counters);
    }

    private sealed class RecordingDirectory : IWebhookEndpointDirectory
    {
        public List<(string Organization, string Project, string Endpoint, string Reason)> Disabled { get; } = [];

        public Task<IReadOnlyList<WebhookEndpoint>> ListSubscribedAsync(string organizationId, string projectId, string eventType, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<WebhookEndpoint>>([]);

        public Task<DeliveryTarget?> GetTargetAsync(string organizationId, string projectId, string endpointId, CancellationToken cancellationToken = default) =>
            Task.FromResult<DeliveryTarget?>(null);

        public Task<bool> DisableAsync(string organizationId, string projectId, string endpointId, string reason, CancellationToken cancellationToken = default)
        {
            Disabled.Add((organizationId, projectId, endpointId, reason));
            return Task.FromResult(true);
        }
    }
}
