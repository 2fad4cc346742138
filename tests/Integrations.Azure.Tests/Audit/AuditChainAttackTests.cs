using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Specialized;
using Integrations.Azure.Tests.KeyVault;
using Integrations.Azure.Tables;
using Integrations.Core.Audit;
using Integrations.Core.Crypto;
using Integrations.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Integrations.Azure.Tests.Audit;

/// <summary>
/// Someone with write access to the storage account (but not to the root key) tries to make `audit verify` pass over a
/// changed log: each test edits, deletes or puts back rows with the Tables SDK directly, as that attacker would.
/// </summary>
public sealed class AuditChainAttackTests
{
    private const string Organization = "org_aaaaaaaaaaaaaaaaaaaa";
    private const string Other = "org_bbbbbbbbbbbbbbbbbbbb";
    private static readonly string Partition = AuditPartition.For(Organization, null);

    [Fact]
    public async Task Verify_ChainStateRowDeleted_IsReported_AndSealDoesNotRechain()
    {
        var logger = new RecordingLogger<AuditChain>();
        await using var hub = await HubServices.StartAsync(configure: s => s.AddSingleton<ILogger<AuditChain>>(logger));
        await WriteAsync(hub, Organization, 3);
        await hub.Get<AuditChain>().SealAsync();

        await ChainTable(hub).DeleteEntityAsync("state", Partition, ETag.All);
        await WriteAsync(hub, Organization, 1);
        await hub.Get<AuditChain>().SealAsync();
        var result = await hub.Get<AuditChain>().VerifyAsync();

        Assert.Contains(result.Findings, f => f.Partition == Partition);
        Assert.False((await ChainTable(hub).GetEntityIfExistsAsync<TableEntity>("state", Partition)).HasValue, "the sealer re-chained the partition");
        Assert.Contains(logger.Entries, e => e is { EventId: 3105, Level: LogLevel.Error } && e.Message.Contains(Partition, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Verify_ChainStateRowDeletedBeforeAnyCheckpoint_SealedRecordsAreStillReported()
    {
        await using var hub = await HubServices.StartAsync();
        await WriteAsync(hub, Organization, 3);
        await hub.Get<AuditChain>().SealAsync();
        await DeleteCheckpointsAsync(hub); // (Azurite has no immutability policy; this isolates the chain's own check)

        await ChainTable(hub).DeleteEntityAsync("state", Partition, ETag.All);
        await hub.Get<AuditChain>().SealAsync();
        var result = await hub.Get<AuditChain>().VerifyAsync();

        Assert.Contains(result.Findings, f => f.Partition == Partition && f.Problem.Contains("no chain state", StringComparison.Ordinal));
        Assert.False((await ChainTable(hub).GetEntityIfExistsAsync<TableEntity>("state", Partition)).HasValue, "the sealer re-chained the partition");
    }

    [Fact]
    public async Task Verify_HeadMovedBackAndLaterSealedRecordsDeleted_IsReported()
    {
        await using var hub = await HubServices.StartAsync();
        await WriteAsync(hub, Organization, 5);
        await hub.Get<AuditChain>().SealAsync();
        var rows = await AuditRows.ReadAsync(AuditTable(hub), Partition);

        var state = (await ChainTable(hub).GetEntityAsync<TableEntity>("state", Partition)).Value;
        state["SealedThroughTicks"] = (long)rows[2].Record["ticks"]!;
        state["SealedThroughId"] = (string)rows[2].Record["id"]!;
        state["HeadHash"] = (string)rows[2].Record["chainHash"]!;
        state["SealedCount"] = 3L;
        await ChainTable(hub).UpdateEntityAsync(state, ETag.All, TableUpdateMode.Replace);
        foreach (var (row, record) in (await AuditRows.ReadAsync(AuditTable(hub), Partition)).Skip(3).Reverse())
        {
            await AuditRows.DeleteAsync(AuditTable(hub), (await AuditTable(hub).GetEntityAsync<TableEntity>(row.PartitionKey, row.RowKey)).Value, (string)record["id"]!);
        }

        var result = await hub.Get<AuditChain>().VerifyAsync();

        Assert.Contains(result.Findings, f => f.Partition == Partition);
    }

    [Fact]
    public async Task Verify_AnchorMovedForwardAndRecordsInsideRetentionDeleted_IsReported()
    {
        var time = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        await using var hub = await HubServices.StartAsync(settings: new Dictionary<string, string?> { ["Audit:Retention"] = "30.00:00:00", ["Audit:MinimumRetention"] = "1.00:00:00" },
            configure: s => s.AddSingleton<TimeProvider>(time));
        for (var i = 0; i < 5; i++)
        {
            await WriteAsync(hub, Organization, 1);
            time.Advance(TimeSpan.FromMinutes(1));
        }

        await hub.Get<AuditChain>().SealAsync();
        var rows = await AuditRows.ReadAsync(AuditTable(hub), Partition);

        var state = (await ChainTable(hub).GetEntityAsync<TableEntity>("state", Partition)).Value;
        state["AnchorTicks"] = (long)rows[2].Record["ticks"]!;
        state["AnchorId"] = (string)rows[2].Record["id"]!;
        state["AnchorHash"] = (string)rows[2].Record["chainHash"]!;
        state["AnchorCount"] = 3L;
        await ChainTable(hub).UpdateEntityAsync(state, ETag.All, TableUpdateMode.Replace);
        foreach (var (row, record) in rows.Take(3).Reverse())
        {
            await AuditRows.DeleteAsync(AuditTable(hub), (await AuditTable(hub).GetEntityAsync<TableEntity>(row.PartitionKey, row.RowKey)).Value, (string)record["id"]!);
        }

        var result = await hub.Get<AuditChain>().VerifyAsync();

        Assert.Contains(result.Findings, f => f.Partition == Partition);
    }

    [Fact]
    public async Task Verify_RegistryRowDeleted_StillChecksThePartition()
    {
        await using var hub = await HubServices.StartAsync();
        await WriteAsync(hub, Organization, 3);
        await WriteAsync(hub, Other, 2);
        await hub.Get<AuditChain>().SealAsync();
        await DeleteCheckpointsAsync(hub); // the audit table alone must lead verify to the partition

        await ChainTable(hub).DeleteEntityAsync("partition", Partition, ETag.All);
        var rows = await AuditRows.ReadAsync(AuditTable(hub), Partition);
        await AuditRows.EditAsync(AuditTable(hub), rows[1].Row, (string)rows[1].Record["id"]!, "outcome", AuditOutcomes.Denied);
        var result = await hub.Get<AuditChain>().VerifyAsync();

        Assert.Equal((string)rows[1].Record["id"]!, Assert.Single(result.Findings).RecordId);
        Assert.Equal(2, result.SealedPartitions);
    }

    [Fact]
    public async Task Verify_AuditTablesWiped_TheCheckpointReportsEveryPartition()
    {
        await using var hub = await HubServices.StartAsync();
        await WriteAsync(hub, Organization, 3);
        await WriteAsync(hub, Other, 2);
        await hub.Get<AuditChain>().SealAsync();

        foreach (var table in new[] { AuditTable(hub), ChainTable(hub) })
        {
            await foreach (var row in table.QueryAsync<TableEntity>(select: ["PartitionKey", "RowKey"]))
            {
                await table.DeleteEntityAsync(row.PartitionKey, row.RowKey, ETag.All);
            }
        }

        var result = await hub.Get<AuditChain>().VerifyAsync();

        Assert.NotNull(result.Checkpoint);
        Assert.Contains(result.Findings, f => f.Partition == Partition);
        Assert.Contains(result.Findings, f => f.Partition == AuditPartition.For(Other, null));
    }

    [Fact]
    public async Task Verify_EarlierSignedStatePutBackAndNewestSealedRecordsDeleted_IsReported_AndSealLeavesIt()
    {
        await using var hub = await HubServices.StartAsync();
        await WriteAsync(hub, Organization, 3);
        await hub.Get<AuditChain>().SealAsync();
        var earlier = (await ChainTable(hub).GetEntityAsync<TableEntity>("state", Partition)).Value;
        await WriteAsync(hub, Organization, 2);
        await hub.Get<AuditChain>().SealAsync();

        // A genuine, validly signed state, only older: its MAC holds, so only the checkpoint can tell.
        await ChainTable(hub).UpdateEntityAsync(earlier, ETag.All, TableUpdateMode.Replace);
        foreach (var (row, record) in (await AuditRows.ReadAsync(AuditTable(hub), Partition)).Skip(3).Reverse())
        {
            await AuditRows.DeleteAsync(AuditTable(hub), (await AuditTable(hub).GetEntityAsync<TableEntity>(row.PartitionKey, row.RowKey)).Value, (string)record["id"]!);
        }

        await WriteAsync(hub, Organization, 1);
        await hub.Get<AuditChain>().SealAsync();
        var result = await hub.Get<AuditChain>().VerifyAsync();

        Assert.Contains(result.Findings, f => f.Partition == Partition && f.Problem.Contains("checkpoint", StringComparison.Ordinal));
        Assert.Equal(3L, (await ChainTable(hub).GetEntityAsync<TableEntity>("state", Partition)).Value.GetInt64("SealedCount"));
    }

    [Fact]
    public async Task Verify_EarlierSignedStatePutBack_SealedRecordsPastTheHeadAreReported()
    {
        await using var hub = await HubServices.StartAsync();
        await WriteAsync(hub, Organization, 3);
        await hub.Get<AuditChain>().SealAsync();
        var earlier = (await ChainTable(hub).GetEntityAsync<TableEntity>("state", Partition)).Value;
        await WriteAsync(hub, Organization, 2);
        await hub.Get<AuditChain>().SealAsync();
        await DeleteCheckpointsAsync(hub); // the tables alone must show it

        await ChainTable(hub).UpdateEntityAsync(earlier, ETag.All, TableUpdateMode.Replace);
        var rows = await AuditRows.ReadAsync(AuditTable(hub), Partition);
        var result = await hub.Get<AuditChain>().VerifyAsync();

        Assert.Equal((string)rows[3].Record["id"]!, Assert.Single(result.Findings).RecordId);
        Assert.Contains("past the chain's head", result.Findings[0].Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_ChainStateWithAForgedMac_IsReported_AndSealLeavesItWithAnError()
    {
        var logger = new RecordingLogger<AuditChain>();
        await using var hub = await HubServices.StartAsync(configure: s => s.AddSingleton<ILogger<AuditChain>>(logger));
        await WriteAsync(hub, Organization, 3);
        await hub.Get<AuditChain>().SealAsync();

        var state = (await ChainTable(hub).GetEntityAsync<TableEntity>("state", Partition)).Value;
        state["SealedCount"] = 2L;
        state["Mac"] = Convert.ToBase64String(new byte[32]);
        await ChainTable(hub).UpdateEntityAsync(state, ETag.All, TableUpdateMode.Replace);
        await WriteAsync(hub, Organization, 1);
        var sealedCount = await hub.Get<AuditChain>().SealAsync();
        var result = await hub.Get<AuditChain>().VerifyAsync();

        Assert.Equal(0, sealedCount);
        Assert.Contains(result.Findings, f => f.Partition == Partition && f.Problem.Contains("MAC", StringComparison.Ordinal));
        Assert.Equal(2L, (await ChainTable(hub).GetEntityAsync<TableEntity>("state", Partition)).Value.GetInt64("SealedCount"));
        Assert.Contains(logger.Entries, e => e is { EventId: 3104, Level: LogLevel.Error } && e.Message.Contains(Partition, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Verify_MacRemovedFromAStateTheCheckpointNames_IsReported_AndSealLeavesIt()
    {
        await using var hub = await HubServices.StartAsync();
        await WriteAsync(hub, Organization, 3);
        await hub.Get<AuditChain>().SealAsync();

        await StripSignatureAsync(hub);
        await WriteAsync(hub, Organization, 1);
        var sealedCount = await hub.Get<AuditChain>().SealAsync();
        var result = await hub.Get<AuditChain>().VerifyAsync();

        Assert.Equal(0, sealedCount);
        Assert.Contains(result.Findings, f => f.Partition == Partition && f.Problem.Contains("MAC was removed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Seal_UnsignedStateWrittenBeforeStatesWereSigned_IsSignedOnceItsChainVerifies()
    {
        await using var hub = await HubServices.StartAsync();
        await WriteAsync(hub, Organization, 3);
        await hub.Get<AuditChain>().SealAsync();
        // As a deployment upgraded from the foundation finds it: a state without KeyId, Mac or AnchorCount, and no checkpoint.
        await DeleteCheckpointsAsync(hub);
        await StripSignatureAsync(hub);

        var before = await hub.Get<AuditChain>().VerifyAsync();
        await WriteAsync(hub, Organization, 2);
        var sealedCount = await hub.Get<AuditChain>().SealAsync();
        var after = await hub.Get<AuditChain>().VerifyAsync();
        var state = (await ChainTable(hub).GetEntityAsync<TableEntity>("state", Partition)).Value;

        Assert.Empty(before.Findings);
        Assert.Equal(2, sealedCount);
        Assert.Empty(after.Findings);
        Assert.NotNull(state.GetString("Mac"));
        Assert.Equal(5L, state.GetInt64("SealedCount"));
    }

    [Fact]
    public async Task Verify_ForgedCheckpointLineAppended_IsReported()
    {
        await using var hub = await HubServices.StartAsync();
        await WriteAsync(hub, Organization, 3);
        await hub.Get<AuditChain>().SealAsync();

        var container = new BlobContainerClient(hub.ConnectionString, hub.Prefix + "-audit-checkpoints");
        await foreach (var item in container.GetBlobsAsync())
        {
            var blob = container.GetAppendBlobClient(item.Name);
            using var line = new MemoryStream(System.Text.Encoding.UTF8.GetBytes("ihcp1 auk_forged AAAA {\"T\":0,\"P\":[]}\n"));
            await blob.AppendBlockAsync(line);
        }

        var result = await hub.Get<AuditChain>().VerifyAsync();

        Assert.Contains(result.Findings, f => f.Partition == AuditVerification.CheckpointLog);
        Assert.Equal(3, result.Checkpoint?.For(Partition)?.Count);
    }

    [Fact]
    public async Task Verify_StateMovedToAnotherPartition_IsReported()
    {
        await using var hub = await HubServices.StartAsync();
        await WriteAsync(hub, Organization, 3);
        await WriteAsync(hub, Other, 3);
        await hub.Get<AuditChain>().SealAsync();
        await DeleteCheckpointsAsync(hub);

        // The partition is inside the MAC, so a valid state cannot be copied to another partition's row.
        var state = (await ChainTable(hub).GetEntityAsync<TableEntity>("state", Partition)).Value;
        state.RowKey = AuditPartition.For(Other, null);
        await ChainTable(hub).UpsertEntityAsync(state, TableUpdateMode.Replace);
        var result = await hub.Get<AuditChain>().VerifyAsync();

        Assert.Contains(result.Findings, f => f.Partition == AuditPartition.For(Other, null) && f.Problem.Contains("MAC", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SetChainHashes_RecordAlreadySealed_DoesNotOverwriteItsHash()
    {
        await using var hub = await HubServices.StartAsync();
        await WriteAsync(hub, Organization, 2);
        await hub.Get<AuditChain>().SealAsync();
        var store = hub.Get<IAuditStore>();
        var records = new List<AuditRecord>();
        await foreach (var record in store.ReadChainAsync(Partition, DateTimeOffset.MinValue, DateTimeOffset.MaxValue))
        {
            records.Add(record);
        }

        await Assert.ThrowsAsync<InvalidOperationException>(() => store.SetChainHashesAsync(Partition, [records[0] with { ChainHash = "auk_x:forged" }]));
        Assert.Equal(records[0].ChainHash, (string)(await AuditRows.ReadAsync(AuditTable(hub), Partition))[0].Record["chainHash"]!);
    }

    [Fact]
    public async Task Verify_AfterAuditKeyRotation_RecordsSealedUnderTheOldKeyStillVerify()
    {
        await using var hub = await HubServices.StartAsync();
        await WriteAsync(hub, Organization, 3);
        await hub.Get<AuditChain>().SealAsync();
        var oldKey = (await hub.Get<KeyRing>().GetAuditKeyAsync()).Id;

        var (newKey, previous) = await hub.Get<AuditKeyLifecycle>().RotateAsync();
        await WriteAsync(hub, Organization, 2);
        await WriteAsync(hub, Other, 1);
        await hub.Get<AuditChain>().SealAsync();
        var result = await hub.Get<AuditChain>().VerifyAsync();
        var rows = await AuditRows.ReadAsync(AuditTable(hub), Partition);

        Assert.Equal(oldKey, previous);
        Assert.Empty(result.Findings);
        Assert.Equal(newKey, result.Checkpoint?.KeyId);
        Assert.StartsWith(oldKey + ":", (string)rows[0].Record["chainHash"]!, StringComparison.Ordinal);
        Assert.StartsWith(newKey + ":", (string)rows[^1].Record["chainHash"]!, StringComparison.Ordinal);
        Assert.Equal(newKey, (await ChainTable(hub).GetEntityAsync<TableEntity>("state", Partition)).Value.GetString("KeyId"));
    }

    [Fact]
    public async Task Seal_PartitionReadInSmallPages_SealsEveryRecordInChainOrder()
    {
        var time = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        await using var hub = await HubServices.StartAsync(configure: s =>
        {
            s.AddSingleton<TimeProvider>(time);
            s.Replace(ServiceDescriptor.Singleton<IAuditStore>(sp => new TableAuditStore(sp.GetRequiredService<HubTables>(), time) { MaxChainPage = 4 }));
        });
        for (var i = 0; i < 30; i++)
        {
            await WriteAsync(hub, Organization, 1);
            time.Advance(TimeSpan.FromSeconds(7 + (i % 5 * 600)));
        }

        var sealedCount = await hub.Get<AuditChain>().SealAsync();
        var result = await hub.Get<AuditChain>().VerifyAsync();
        var read = new List<AuditRecord>();
        await foreach (var record in hub.Get<IAuditStore>().ReadChainAsync(Partition, DateTimeOffset.MinValue, DateTimeOffset.MaxValue))
        {
            read.Add(record);
        }

        Assert.Equal(30, sealedCount);
        Assert.Empty(result.Findings);
        Assert.Equal(30, read.Count);
        Assert.Equal(read.OrderBy(r => r.Time).ThenBy(r => r.Id, StringComparer.Ordinal).Select(r => r.Id), read.Select(r => r.Id));
    }

    private static TableClient ChainTable(HubServices hub) => new(hub.ConnectionString, hub.Prefix + "auditchain");

    private static TableClient AuditTable(HubServices hub) => new(hub.ConnectionString, hub.Prefix + "audit");

    private static async Task StripSignatureAsync(HubServices hub)
    {
        var state = (await ChainTable(hub).GetEntityAsync<TableEntity>("state", Partition)).Value;
        state.Remove("Mac");
        state.Remove("KeyId");
        state.Remove("AnchorCount");
        await ChainTable(hub).UpdateEntityAsync(state, ETag.All, TableUpdateMode.Replace);
    }

    private static async Task DeleteCheckpointsAsync(HubServices hub)
    {
        var container = new BlobContainerClient(hub.ConnectionString, hub.Prefix + "-audit-checkpoints");
        await foreach (var blob in container.GetBlobsAsync())
        {
            await container.DeleteBlobAsync(blob.Name);
        }
    }

    private static async Task WriteAsync(HubServices hub, string organization, int count)
    {
        var log = hub.Get<AuditLog>();
        for (var i = 0; i < count; i++)
        {
            await log.WriteAsync(new AuditEvent(organization, null, AuditActions.SecretReveal, AuditOutcomes.Success, 200, "ApiKey", "key_test", Target: $"secret/s{i}"));
        }
    }
}
