using Azure.Data.Tables;
using Integrations.Azure.Tables;
using Integrations.Core.Counters;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace Integrations.Azure.Tests.Counters;

/// <summary>Durable counters over Azurite: several instances on one table, a reader's own unflushed counts, retention.</summary>
public sealed class TableCounterStoreTests
{
    private const string Org = "org_aaaaaaaaaaaaaaaaaaaa";
    private const string Project = "prj_aaaaaaaaaaaaaaaaaaaa";
    private static readonly CounterKey Key = new(Org, Project, "conn_aaaaaaaaaaaaaaaaaaaa");

    private readonly string _rootKey = HubServices.NewRootKey();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 30, 10, 15, 0, TimeSpan.Zero));

    [Fact]
    public async Task ReadAsync_TwoInstancesFlushingToOneTable_SumsBoth()
    {
        await using var first = await StartAsync();
        await using var second = await StartAsync(first.Prefix);
        var a = first.Get<HubCounters>();
        var b = second.Get<HubCounters>();

        // Each instance flushes several times: its row is replaced each time, never added to.
        for (var i = 0; i < 3; i++)
        {
            a.Increment(Key, "calls", 10);
            b.Increment(Key, "calls", 1);
            b.Increment(Key, "errors");
            await a.FlushAsync();
            await b.FlushAsync();
        }

        var seenByA = await a.ReadAsync(Key, _time.GetUtcNow());
        var seenByB = await b.ReadAsync(Key, _time.GetUtcNow());

        Assert.NotEqual(a.InstanceId, b.InstanceId);
        Assert.Equal(33, seenByA.Count("calls"));
        Assert.Equal(3, seenByA.Count("errors"));
        Assert.Equal(seenByA.Counts, seenByB.Counts);
        Assert.Equal(2, await CountRowsAsync(first.ConnectionString, first.Prefix));
    }

    [Fact]
    public async Task ReadAsync_OwnUnflushedCounts_AreAddedToTheOtherInstancesFlushedOnes()
    {
        await using var first = await StartAsync();
        await using var second = await StartAsync(first.Prefix);
        var a = first.Get<HubCounters>();
        var b = second.Get<HubCounters>();
        a.Increment(Key, "calls", 4);
        await a.FlushAsync();
        a.Increment(Key, "calls", 1); // flushed row says 4, the buffer says 5
        b.Increment(Key, "calls", 2);  // never flushed

        var seenByA = await a.ReadAsync(Key, _time.GetUtcNow());
        var seenByB = await b.ReadAsync(Key, _time.GetUtcNow());

        Assert.Equal(5, seenByA.Count("calls"));
        Assert.Equal(6, seenByB.Count("calls"));
    }

    [Fact]
    public async Task ReadAsync_HoursAndLatest_RoundTripThroughTheTable()
    {
        await using var hub = await StartAsync();
        var counters = hub.Get<HubCounters>();
        var at = _time.GetUtcNow();
        counters.Increment(Key, "calls", 2);
        counters.RecordLatest(Key, "last_accepted_at", at);
        await counters.FlushAsync();
        _time.Advance(TimeSpan.FromHours(2));
        counters.Increment(Key, "calls", 5);
        await counters.FlushAsync();
        await using var reader = await StartAsync(hub.Prefix);

        var all = await reader.Get<HubCounters>().ReadAsync(Key, _time.GetUtcNow() - TimeSpan.FromHours(2));
        var lastHour = await reader.Get<HubCounters>().ReadAsync(Key, _time.GetUtcNow() - TimeSpan.FromMinutes(10));

        Assert.Equal(7, all.Count("calls"));
        Assert.Equal(at, all.LatestOf("last_accepted_at"));
        Assert.Equal(5, lastHour.Count("calls"));
        Assert.Null(lastHour.LatestOf("last_accepted_at"));
    }

    [Fact]
    public async Task ReadAsync_AnotherProjectsKey_SeesNothingOfThisOne()
    {
        await using var hub = await StartAsync();
        var counters = hub.Get<HubCounters>();
        counters.Increment(Key, "calls", 9);
        await counters.FlushAsync();
        await using var reader = await StartAsync(hub.Prefix);

        var otherProject = await reader.Get<HubCounters>().ReadAsync(Key with { ProjectId = "prj_bbbbbbbbbbbbbbbbbbbb" }, _time.GetUtcNow());
        var otherOrg = await reader.Get<HubCounters>().ReadAsync(Key with { OrganizationId = "org_bbbbbbbbbbbbbbbbbbbb" }, _time.GetUtcNow());

        Assert.Empty(otherProject.Counts);
        Assert.Empty(otherOrg.Counts);
    }

    [Fact]
    public async Task WriteAsync_SubjectWithCharactersTablesRefuse_IsEscapedAndReadBack()
    {
        await using var hub = await StartAsync();
        var counters = hub.Get<HubCounters>();
        var odd = Key with { Subject = "a/b\\c#d?e|f~g é" };
        counters.Increment(odd, "calls", 3);
        await counters.FlushAsync();
        await using var reader = await StartAsync(hub.Prefix);

        var totals = await reader.Get<HubCounters>().ReadAsync(odd, _time.GetUtcNow());

        Assert.Equal(3, totals.Count("calls"));
        Assert.Equal("a~2fb~5cc~23d~3fe~7cf~7eg~20~c3~a9", TableCounterStore.Escape(odd.Subject));
    }

    [Fact]
    public async Task CleanupRunAsync_RowsPastRetention_AreDeletedOthersKept()
    {
        await using var hub = await StartAsync();
        var counters = hub.Get<HubCounters>();
        counters.Increment(Key, "calls", 1);
        counters.Increment(Key with { Subject = "conn_bbbbbbbbbbbbbbbbbbbb" }, "calls", 1);
        await counters.FlushAsync();
        _time.Advance(TimeSpan.FromDays(5));
        counters.Increment(Key, "calls", 10);
        await counters.FlushAsync();
        _time.Advance(TimeSpan.FromDays(3) + TimeSpan.FromHours(2)); // the first rows are now 8 days and 2 hours old

        var deleted = await hub.Get<CounterCleanup>().RunAsync();
        var totals = await counters.ReadAsync(Key, _time.GetUtcNow() - TimeSpan.FromDays(30));

        Assert.Equal(2, deleted);
        Assert.Equal(10, totals.Count("calls"));
        Assert.Equal(1, await CountRowsAsync(hub.ConnectionString, hub.Prefix));
    }

    private Task<HubServices> StartAsync(string? prefix = null) =>
        HubServices.StartAsync(prefix, _rootKey, configure: services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(_time)));

    private static async Task<int> CountRowsAsync(string connectionString, string prefix)
    {
        var count = 0;
        await foreach (var unused in new TableClient(connectionString, prefix + "counters").QueryAsync<TableEntity>())
        {
            count++;
        }

        return count;
    }
}
