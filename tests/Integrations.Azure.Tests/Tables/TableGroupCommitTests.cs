using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Integrations.Azure.Tables;
using Integrations.Core.Common;
using Integrations.Testing;

namespace Integrations.Azure.Tests.Tables;

/// <summary>Group commit over Azurite: many callers' writes in few requests, and each caller still gets its own answer.</summary>
public sealed class TableGroupCommitTests
{
    [Fact]
    public async Task Write_ManyConcurrentInsertsInOnePartition_AllWrittenInFewerRequestsThanUnits()
    {
        // Arrange
        var (table, requests) = await NewTableAsync();
        var commit = new TableGroupCommit(table);
        const int units = 200;

        // Act: two entities per unit, all at once.
        var outcomes = await Task.WhenAll(Enumerable.Range(0, units).Select(i =>
            commit.WriteAsync("p", [Add("p", $"a{i:D3}"), Add("p", $"b{i:D3}")], 100, CancellationToken.None)));

        // Assert: every unit written, every entity there, and the requests carried several units each.
        Assert.All(outcomes, o => Assert.Equal(WriteOutcome.Written, o));
        Assert.Equal(units * 2, await CountAsync(table, "p"));
        Assert.InRange(requests.Count, 1, units / 4);
    }

    [Fact]
    public async Task Write_OneUnitConflictsInAGroup_OnlyThatUnitFailsAndItWritesNothing()
    {
        // Arrange: an entity that one unit will try to insert again.
        var (table, _) = await NewTableAsync();
        await table.AddEntityAsync(new TableEntity("p", "taken"));
        var commit = new TableGroupCommit(table);

        // Act: the spoiling unit among many; its first action would succeed on its own.
        var good = Enumerable.Range(0, 60).Select(i => commit.WriteAsync("p", [Add("p", $"g{i:D2}")], 10, CancellationToken.None)).ToList();
        var spoiler = commit.WriteAsync("p", [Add("p", "fresh-part-of-spoiler"), Add("p", "taken")], 10, CancellationToken.None);
        var outcomes = await Task.WhenAll(good);

        // Assert: the others written; the spoiler conflicts and, being one transaction, left none of its entities.
        Assert.All(outcomes, o => Assert.Equal(WriteOutcome.Written, o));
        Assert.Equal(WriteOutcome.Conflict, await spoiler);
        Assert.False((await table.GetEntityIfExistsAsync<TableEntity>("p", "fresh-part-of-spoiler")).HasValue);
        Assert.Equal(61, await CountAsync(table, "p"));
    }

    [Fact]
    public async Task Write_MergeOfAMissingEntity_NotFoundForThatUnitAlone()
    {
        // Arrange
        var (table, _) = await NewTableAsync();
        for (var i = 0; i < 30; i++)
        {
            await table.AddEntityAsync(new TableEntity("p", $"r{i:D2}") { ["State"] = "pending" });
        }

        var commit = new TableGroupCommit(table);

        // Act: thirty merges of rows that exist and one of a row that does not, concurrently.
        var merges = Enumerable.Range(0, 30).Select(i => commit.WriteAsync("p", [Merge("p", $"r{i:D2}")], 0, CancellationToken.None)).ToList();
        var missing = commit.WriteAsync("p", [Merge("p", "nobody")], 0, CancellationToken.None);

        // Assert
        Assert.All(await Task.WhenAll(merges), o => Assert.Equal(WriteOutcome.Written, o));
        Assert.Equal(WriteOutcome.NotFound, await missing);
        await foreach (var row in table.QueryAsync<TableEntity>(e => e.PartitionKey == "p"))
        {
            Assert.Equal("delivered", row.GetString("State"));
        }
    }

    [Fact]
    public async Task Write_TwoUnitsForTheSameEntity_BothApplied()
    {
        // Arrange: the service refuses a transaction that names an entity twice; grouping must not turn that into a failure.
        var (table, _) = await NewTableAsync();
        await table.AddEntityAsync(new TableEntity("p", "row"));
        var commit = new TableGroupCommit(table);

        // Act
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            commit.WriteAsync("p", [new TableTransactionAction(TableTransactionActionType.UpdateMerge, new TableEntity("p", "row") { [$"C{i:D2}"] = i }, ETag.All)], 0,
                CancellationToken.None)));

        // Assert: every merge landed.
        Assert.All(outcomes, o => Assert.Equal(WriteOutcome.Written, o));
        var row = (await table.GetEntityAsync<TableEntity>("p", "row")).Value;
        Assert.All(Enumerable.Range(0, 20), i => Assert.Equal(i, row.GetInt32($"C{i:D2}")));
    }

    [Fact]
    public async Task Write_PartitionsAreGroupedApart_EachUnitLandsInItsOwn()
    {
        // Arrange
        var (table, _) = await NewTableAsync();
        var commit = new TableGroupCommit(table);

        // Act: interleaved units for three partitions.
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 90).Select(i =>
            commit.WriteAsync($"p{i % 3}", [Add($"p{i % 3}", $"r{i:D2}")], 10, CancellationToken.None)));

        // Assert
        Assert.All(outcomes, o => Assert.Equal(WriteOutcome.Written, o));
        int[] counts = [await CountAsync(table, "p0"), await CountAsync(table, "p1"), await CountAsync(table, "p2")];
        Assert.Equal([30, 30, 30], counts);
    }

    [Fact]
    public async Task WriteSoon_UnitsLeftWithoutAWrite_LandTogetherWithinTheirDelay()
    {
        // Arrange
        var (table, requests) = await NewTableAsync();
        var commit = new TableGroupCommit(table);

        // Act: twenty units nobody waits for, then nothing else.
        for (var i = 0; i < 20; i++)
        {
            commit.WriteSoon("p", [Add("p", $"s{i:D2}")], TimeSpan.FromMilliseconds(200));
        }

        var countedAtOnce = await CountAsync(table, "p");
        var landed = 0;
        for (var look = 0; look < 50 && landed < 20; look++)
        {
            await Task.Delay(100);
            landed = await CountAsync(table, "p");
        }

        // Assert: none written at once (they wait for company), all of them in one request once the delay passed.
        Assert.Equal(0, countedAtOnce);
        Assert.Equal(20, landed);
        Assert.Single(requests, r => r.StartsWith("POST", StringComparison.Ordinal) && r.EndsWith("$batch", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WriteSoon_AWriteComesFirst_TheWaitingUnitRidesItsTransaction()
    {
        // Arrange
        var (table, requests) = await NewTableAsync();
        var commit = new TableGroupCommit(table);
        commit.WriteSoon("p", [Add("p", "later")], TimeSpan.FromMinutes(5));

        // Act: a write that is waited for.
        var outcome = await commit.WriteAsync("p", [Add("p", "now")], 100, CancellationToken.None);

        // Assert: both written by that one transaction, long before the first unit's delay.
        Assert.Equal(WriteOutcome.Written, outcome);
        Assert.Equal(2, await CountAsync(table, "p"));
        Assert.Single(requests, r => r.EndsWith("$batch", StringComparison.Ordinal));
    }

    private static TableTransactionAction Add(string partition, string row) =>
        new(TableTransactionActionType.Add, new TableEntity(partition, row) { ["Payload"] = new byte[64] });

    private static TableTransactionAction Merge(string partition, string row) =>
        new(TableTransactionActionType.UpdateMerge, new TableEntity(partition, row) { ["State"] = "delivered" }, ETag.All);

    private static async Task<int> CountAsync(TableClient table, string partition)
    {
        var count = 0;
        await foreach (var _ in table.QueryAsync<TableEntity>(e => e.PartitionKey == partition, select: ["RowKey"]))
        {
            count++;
        }

        return count;
    }

    /// <summary>A fresh table on the shared Azurite, and the list of requests its client sends after creating it.</summary>
    private static async Task<(TableClient Table, List<string> Requests)> NewTableAsync()
    {
        var azurite = await AzuriteInstance.Shared;
        var requests = new List<string>();
        var options = new TableClientOptions();
        var counter = new CountingPolicy(requests);
        options.AddPolicy(counter, HttpPipelinePosition.PerCall);
        var table = new TableServiceClient(azurite.ConnectionString, options).GetTableClient("gc" + AzuriteInstance.NewPrefix());
        await table.CreateAsync();
        counter.Enabled = true;
        return (table, requests);
    }

    private sealed class CountingPolicy(List<string> requests) : HttpPipelineSynchronousPolicy
    {
        public bool Enabled { get; set; }

        public override void OnSendingRequest(HttpMessage message)
        {
            if (Enabled)
            {
                lock (requests)
                {
                    requests.Add(message.Request.Method + " " + message.Request.Uri.Path);
                }
            }
        }
    }
}
