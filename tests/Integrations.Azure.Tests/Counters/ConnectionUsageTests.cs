using Integrations.Core.Common;
using Integrations.Core.Connections;
using Integrations.Core.Connections.Usage;
using Integrations.Core.Counters;
using Integrations.Core.Events;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace Integrations.Azure.Tests.Counters;

/// <summary>A connection's usage across two instances on one storage: call counts, the test limit, the auth-error alert.</summary>
public sealed class ConnectionUsageTests
{
    private readonly string _rootKey = HubServices.NewRootKey();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 30, 10, 0, 10, TimeSpan.Zero));

    [Fact]
    public async Task Last24HoursAsync_CallsOnTwoInstances_AreSummedOnceFlushed()
    {
        await using var first = await StartAsync();
        await using var second = await StartAsync(first.Prefix);
        var connection = Connection("org_aaaaaaaaaaaaaaaaaaaa", "prj_aaaaaaaaaaaaaaaaaaaa");
        first.Get<ConnectionUsage>().RecordCall(connection, failed: false);
        first.Get<ConnectionUsage>().RecordCall(connection, failed: true);
        second.Get<ConnectionUsage>().RecordCall(connection, failed: true);
        await first.Get<HubCounters>().FlushAsync();
        await second.Get<HubCounters>().FlushAsync();
        _time.Advance(TimeSpan.FromHours(23));

        var seen = await first.Get<ConnectionUsage>().Last24HoursAsync(connection, _time.GetUtcNow());
        _time.Advance(TimeSpan.FromHours(1));
        var dayLater = await first.Get<ConnectionUsage>().Last24HoursAsync(connection, _time.GetUtcNow());

        Assert.Equal((3L, 2L), seen);
        Assert.Equal((0L, 0L), dayLater);
    }

    [Fact]
    public async Task TryAcquireTestAsync_TwoInstances_ShareOneLimitPerConnection()
    {
        var settings = new Dictionary<string, string?> { ["Connections:TestsPerMinute"] = "3" };
        await using var first = await StartAsync(settings: settings);
        await using var second = await StartAsync(first.Prefix, settings);
        var connection = Connection("org_aaaaaaaaaaaaaaaaaaaa", "prj_aaaaaaaaaaaaaaaaaaaa");
        var other = Connection("org_aaaaaaaaaaaaaaaaaaaa", "prj_aaaaaaaaaaaaaaaaaaaa") with { Id = "conn_bbbbbbbbbbbbbbbbbbbb" };
        var a = first.Get<ConnectionUsage>();
        var b = second.Get<ConnectionUsage>();

        var taken = new[]
        {
            await a.TryAcquireTestAsync(connection, _time.GetUtcNow()),
            await b.TryAcquireTestAsync(connection, _time.GetUtcNow()),
        };
        _time.Advance(TimeSpan.FromSeconds(20));
        var third = await a.TryAcquireTestAsync(connection, _time.GetUtcNow());
        var fourth = await b.TryAcquireTestAsync(connection, _time.GetUtcNow());
        var otherConnection = await b.TryAcquireTestAsync(other, _time.GetUtcNow());
        _time.Advance(TimeSpan.FromSeconds(40));
        var afterTheFirstLeft = await b.TryAcquireTestAsync(connection, _time.GetUtcNow());

        Assert.All(taken, t => Assert.True(t.Taken));
        Assert.True(third.Taken);
        Assert.False(fourth.Taken);
        Assert.Equal(TimeSpan.FromSeconds(40), fourth.RetryAfter);
        Assert.True(otherConnection.Taken);
        Assert.True(afterTheFirstLeft.Taken);
    }

    [Fact]
    public async Task TryAcquireTestAsync_ConcurrentCallersOnTwoInstances_NeverTakeMoreThanTheLimit()
    {
        var settings = new Dictionary<string, string?> { ["Connections:TestsPerMinute"] = "5" };
        await using var first = await StartAsync(settings: settings);
        await using var second = await StartAsync(first.Prefix, settings);
        var connection = Connection("org_aaaaaaaaaaaaaaaaaaaa", "prj_aaaaaaaaaaaaaaaaaaaa");

        var takes = await Task.WhenAll(Enumerable.Range(0, 12).Select(i =>
            (i % 2 == 0 ? first : second).Get<ConnectionUsage>().TryAcquireTestAsync(connection, _time.GetUtcNow())));

        Assert.Equal(5, takes.Count(t => t.Taken));
    }

    [Fact]
    public async Task RecordAuthErrorAsync_ThresholdReachedAcrossInstances_RaisesOneEventPerWindow()
    {
        // Arrange: the threshold is 3; no instance alone sees 3 in the first window.
        var settings = new Dictionary<string, string?> { ["Connections:AuthErrorAlertThreshold"] = "3", ["Connections:AuthErrorAlertWindow"] = "00:05:00" };
        await using var first = await StartAsync(settings: settings);
        await using var second = await StartAsync(first.Prefix, settings);
        var (org, project) = await first.CreateProjectAsync("Spiky");
        var connection = Connection(org, project);
        var a = first.Get<ConnectionUsage>();
        var b = second.Get<ConnectionUsage>();

        // Act
        var firstTwo = new[] { await a.RecordAuthErrorAsync(connection, _time.GetUtcNow()), await a.RecordAuthErrorAsync(connection, _time.GetUtcNow()) };
        await first.Get<HubCounters>().FlushAsync();
        var crossed = await b.RecordAuthErrorAsync(connection, _time.GetUtcNow());
        var alsoCrossedOnA = await a.RecordAuthErrorAsync(connection, _time.GetUtcNow()); // A's own count reaches 3 as well
        var again = await b.RecordAuthErrorAsync(connection, _time.GetUtcNow());
        var inWindow = await SpikesAsync(first, org, project);
        _time.Advance(TimeSpan.FromMinutes(5));
        var nextWindow = new[]
        {
            await a.RecordAuthErrorAsync(connection, _time.GetUtcNow()), await a.RecordAuthErrorAsync(connection, _time.GetUtcNow()),
            await a.RecordAuthErrorAsync(connection, _time.GetUtcNow()),
        };
        var afterNextWindow = await SpikesAsync(first, org, project);

        // Assert: both instances decided to alert in the first window; the outbox kept one event.
        Assert.All(firstTwo, Assert.Null);
        Assert.Equal(3, crossed);
        Assert.Equal(3, alsoCrossedOnA);
        Assert.Null(again);
        var only = Assert.Single(inWindow);
        Assert.Equal(connection.Id, only.Data["connection_id"]);
        Assert.Equal([null, null, 3], nextWindow);
        Assert.Equal(2, afterNextWindow.Count);
    }

    private Task<HubServices> StartAsync(string? prefix = null, IDictionary<string, string?>? settings = null) =>
        HubServices.StartAsync(prefix, _rootKey, settings, services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(_time)));

    private static async Task<IReadOnlyList<HubEvent>> SpikesAsync(HubServices hub, string org, string project) =>
        (await hub.Get<IEventOutbox>().ListAsync(org, project, new ActivityQuery(new PageRequest(1, 100), HubEventTypes.ConnectionAuthErrorsSpike))).Items;

    private Connection Connection(string org, string project) => new()
    {
        Id = "conn_aaaaaaaaaaaaaaaaaaaa",
        OrganizationId = org,
        ProjectId = project,
        Name = "spiky",
        Type = ConnectionType.Bearer,
        CreatedBy = "test",
        CreatedAt = _time.GetUtcNow(),
        UpdatedAt = _time.GetUtcNow(),
    };
}
