using Integrations.Core.Counters;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Integrations.Core.Tests.Counters;

public sealed class HubCountersTests
{
    private static readonly CounterKey Key = new("org_aaaaaaaaaaaaaaaaaaaa", "prj_aaaaaaaaaaaaaaaaaaaa", "conn_aaaaaaaaaaaaaaaaaaaa");
    private static readonly CounterKey Other = new("org_aaaaaaaaaaaaaaaaaaaa", "prj_aaaaaaaaaaaaaaaaaaaa", "conn_bbbbbbbbbbbbbbbbbbbb");

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 30, 10, 15, 0, TimeSpan.Zero));
    private readonly InMemoryCounterStore _store = new();

    [Fact]
    public async Task ReadAsync_UnflushedIncrements_AreSeenByTheSameInstance()
    {
        using var counters = Create();
        counters.Increment(Key, "calls");
        counters.Increment(Key, "calls", 4);
        counters.Increment(Key, "errors");
        counters.Increment(Other, "calls", 100);

        var totals = await counters.ReadAsync(Key, _time.GetUtcNow());

        Assert.Equal(5, totals.Count("calls"));
        Assert.Equal(1, totals.Count("errors"));
        Assert.Equal(0, totals.Count("absent"));
        Assert.Equal(0, _store.Writes); // Recording never touches storage.
    }

    [Fact]
    public async Task FlushAsync_WritesAbsoluteTotalsPerHour_AndReadDoesNotCountThemTwice()
    {
        using var counters = Create();
        counters.Increment(Key, "calls", 3);
        await counters.FlushAsync();
        counters.Increment(Key, "calls", 2);

        var beforeSecondFlush = await counters.ReadAsync(Key, _time.GetUtcNow());
        await counters.FlushAsync();
        var afterSecondFlush = await counters.ReadAsync(Key, _time.GetUtcNow());

        Assert.Equal(5, beforeSecondFlush.Count("calls"));
        Assert.Equal(5, afterSecondFlush.Count("calls"));
        var row = Assert.Single(_store.Rows);
        Assert.Equal(5, row.Counts["calls"]); // Replaced with the absolute total, not 3 + a delta row.
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 10, 0, 0, TimeSpan.Zero), row.Hour);
        Assert.Equal(counters.InstanceId, row.InstanceId);
    }

    [Fact]
    public async Task FlushAsync_NothingChanged_WritesNothing()
    {
        using var counters = Create();
        counters.Increment(Key, "calls");
        await counters.FlushAsync();

        var written = await counters.FlushAsync();

        Assert.Equal(0, written);
        Assert.Equal(1, _store.Writes);
    }

    [Fact]
    public async Task Increment_AcrossHourRollover_CountsInEachHourAndReleasesThePastOneOnceFlushed()
    {
        using var counters = Create();
        counters.Increment(Key, "calls", 2);
        _time.Advance(TimeSpan.FromHours(1));
        counters.Increment(Key, "calls", 7);

        await counters.FlushAsync();
        var sinceEarlier = await counters.ReadAsync(Key, _time.GetUtcNow() - TimeSpan.FromHours(1));
        var thisHourOnly = await counters.ReadAsync(Key, _time.GetUtcNow());

        Assert.Equal(2, _store.Rows.Count);
        Assert.Equal([2L, 7L], _store.Rows.OrderBy(r => r.Hour).Select(r => r.Counts["calls"]));
        Assert.Equal(9, sinceEarlier.Count("calls"));
        Assert.Equal(7, thisHourOnly.Count("calls"));
        Assert.Equal(1, counters.BufferedCount); // The past hour is in storage now; only the current hour stays buffered.
    }

    [Fact]
    public async Task RecordLatest_OlderValueAfterNewer_KeepsTheNewest()
    {
        using var counters = Create();
        var newer = _time.GetUtcNow();
        counters.RecordLatest(Key, "last_accepted_at", newer);
        counters.RecordLatest(Key, "last_accepted_at", newer - TimeSpan.FromMinutes(5));
        await counters.FlushAsync();
        using var second = Create();
        second.RecordLatest(Key, "last_accepted_at", newer - TimeSpan.FromMinutes(1));

        var totals = await second.ReadAsync(Key, _time.GetUtcNow());

        Assert.Equal(newer, totals.LatestOf("last_accepted_at"));
        Assert.Null(totals.LatestOf("never_recorded"));
    }

    [Fact]
    public async Task ReadAsync_TwoInstances_SumsTheirRows()
    {
        using var first = Create();
        using var second = Create();
        first.Increment(Key, "calls", 10);
        second.Increment(Key, "calls", 5);
        await first.FlushAsync();

        var seenBySecond = await second.ReadAsync(Key, _time.GetUtcNow());
        var seenByFirstBeforeSecondFlushes = await first.ReadAsync(Key, _time.GetUtcNow());
        await second.FlushAsync();
        var seenByFirst = await first.ReadAsync(Key, _time.GetUtcNow());

        Assert.Equal(15, seenBySecond.Count("calls"));
        Assert.Equal(10, seenByFirstBeforeSecondFlushes.Count("calls")); // Another instance's unflushed interval is not visible.
        Assert.Equal(15, seenByFirst.Count("calls"));
    }

    [Fact]
    public async Task FlushAsync_StorageFails_KeepsTheTotalsAndWritesThemNextTime()
    {
        using var counters = Create();
        counters.Increment(Key, "calls", 3);
        _store.FailWrites = true;

        var failed = await counters.FlushAsync();
        _store.FailWrites = false;
        counters.Increment(Key, "calls");
        var retried = await counters.FlushAsync();

        Assert.Equal(0, failed);
        Assert.Equal(1, retried);
        Assert.Equal(4, Assert.Single(_store.Rows).Counts["calls"]);
    }

    [Fact]
    public async Task FlushAsync_PastHourFailedToWrite_StaysBufferedUntilWritten()
    {
        using var counters = Create();
        counters.Increment(Key, "calls", 3);
        _time.Advance(TimeSpan.FromHours(1));
        _store.FailWrites = true;
        await counters.FlushAsync();

        var bufferedWhileDown = counters.BufferedCount;
        _store.FailWrites = false;
        await counters.FlushAsync();

        Assert.Equal(1, bufferedWhileDown);
        Assert.Equal(0, counters.BufferedCount);
        Assert.Equal(3, Assert.Single(_store.Rows).Counts["calls"]);
    }

    [Fact]
    public async Task Increment_BufferFull_DropsNewKeysKeepsExistingOnesAndAsksForAFlush()
    {
        using var counters = Create(maxKeys: 100);
        for (var i = 0; i < 100; i++)
        {
            counters.Increment(Key with { Subject = "conn_" + i }, "calls");
        }

        var wantedBefore = counters.FlushWanted.IsCompleted;
        counters.Increment(Key with { Subject = "conn_new" }, "calls");
        counters.Increment(Key with { Subject = "conn_0" }, "calls");

        Assert.False(wantedBefore);
        Assert.True(counters.FlushWanted.IsCompleted);
        Assert.Equal(100, counters.BufferedCount);
        Assert.Equal(0, (await counters.ReadAsync(Key with { Subject = "conn_new" }, _time.GetUtcNow())).Count("calls"));
        Assert.Equal(2, (await counters.ReadAsync(Key with { Subject = "conn_0" }, _time.GetUtcNow())).Count("calls"));
    }

    [Fact]
    public async Task Increment_ConcurrentCallersAndFlushes_LosesNothing()
    {
        using var counters = Create();
        using var stop = new CancellationTokenSource();
        var flushing = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await counters.FlushAsync();
            }
        });

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                counters.Increment(Key, "calls");
            }
        })));
        await stop.CancelAsync();
        await flushing;
        await counters.FlushAsync();

        Assert.Equal(80_000, Assert.Single(_store.Rows).Counts["calls"]);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Calls")]
    [InlineData("calls.total")]
    [InlineData("c_x|y")]
    public void Increment_InvalidName_Throws(string name)
    {
        using var counters = Create();

        Assert.Throws<ArgumentException>(() => counters.Increment(Key, name));
    }

    [Fact]
    public void Increment_NegativeDelta_Throws()
    {
        using var counters = Create();

        Assert.Throws<ArgumentOutOfRangeException>(() => counters.Increment(Key, "calls", -1));
    }

    private HubCounters Create(int maxKeys = 20_000) =>
        new(_store, Options.Create(new CounterOptions { MaxBufferedKeys = maxKeys }), _time, NullLogger<HubCounters>.Instance);
}
