using Azure;
using Azure.Data.Tables;
using Integrations.Core.Audit;
using Integrations.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Integrations.Cli.Tests;

public sealed class AuditCommandsTests
{
    private const string Organization = "org_aaaaaaaaaaaaaaaaaaaa";
    private static readonly string Partition = AuditPartition.For(Organization, null);

    [Fact]
    public async Task AuditVerify_UntamperedSealedLog_ExitsZero()
    {
        var hub = await CliHarness.StartAsync();
        await WriteRecordsAsync(hub, 3);

        var seal = await hub.RunAsync("audit", "seal");
        var verify = await hub.RunAsync("audit", "verify");

        Assert.True(seal.ExitCode == ExitCodes.Success, seal.ToString());
        Assert.Contains("Sealed 3 audit records", seal.Output, StringComparison.Ordinal);
        Assert.True(verify.ExitCode == ExitCodes.Success, verify.ToString());
        Assert.Contains("OK: 1 partitions verified", verify.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuditVerify_SealedRecordEdited_ExitsOneNamingThatRecord()
    {
        var hub = await CliHarness.StartAsync();
        await WriteRecordsAsync(hub, 3);
        Assert.Equal(ExitCodes.Success, (await hub.RunAsync("audit", "seal")).ExitCode);
        var rows = await AuditRows.ReadAsync(hub.Table("audit"), Partition);
        var edited = rows[1];
        await AuditRows.EditAsync(hub.Table("audit"), edited.Row, Id(edited), "outcome", AuditOutcomes.Denied);

        var verify = await hub.RunAsync("audit", "verify");

        Assert.True(verify.ExitCode == ExitCodes.Failure, verify.ToString());
        Assert.Contains(Partition, verify.Output, StringComparison.Ordinal);
        Assert.Contains(Id(edited), verify.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(Id(rows[2]), verify.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuditVerify_SealedRecordDeleted_ExitsOneNamingTheRecordAfterTheGap()
    {
        var hub = await CliHarness.StartAsync();
        await WriteRecordsAsync(hub, 3);
        Assert.Equal(ExitCodes.Success, (await hub.RunAsync("audit", "seal")).ExitCode);
        var rows = await AuditRows.ReadAsync(hub.Table("audit"), Partition);
        await AuditRows.DeleteAsync(hub.Table("audit"), rows[1].Row, Id(rows[1]));

        var verify = await hub.RunAsync("audit", "verify");

        Assert.True(verify.ExitCode == ExitCodes.Failure, verify.ToString());
        Assert.Contains(Id(rows[2]), verify.Output, StringComparison.Ordinal);
        Assert.Contains("FAILED: 1 of 1 sealed partitions", verify.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuditCleanup_RecentRecords_SealsThemAndDeletesNothing()
    {
        var hub = await CliHarness.StartAsync();
        await WriteRecordsAsync(hub, 2);

        var cleanup = await hub.RunAsync("audit", "cleanup");

        Assert.True(cleanup.ExitCode == ExitCodes.Success, cleanup.ToString());
        Assert.Contains("Sealed 2 audit records", cleanup.Output, StringComparison.Ordinal);
        Assert.Contains("deleted 0 sealed records", cleanup.Output, StringComparison.Ordinal);
        Assert.Equal(2, (await AuditRows.ReadAsync(hub.Table("audit"), Partition)).Count);
        Assert.Equal(ExitCodes.Success, (await hub.RunAsync("audit", "verify")).ExitCode);
    }

    [Fact]
    public async Task KeysRotateAuditKey_ThenAuditVerify_RecordsSealedUnderBothKeysVerify()
    {
        var hub = await CliHarness.StartAsync();
        await WriteRecordsAsync(hub, 2);
        Assert.Equal(ExitCodes.Success, (await hub.RunAsync("audit", "seal")).ExitCode);

        var rotate = await hub.RunAsync("keys", "rotate-audit-key");
        await WriteRecordsAsync(hub, 2);
        var seal = await hub.RunAsync("audit", "seal");
        var verify = await hub.RunAsync("audit", "verify");

        Assert.True(rotate.ExitCode == ExitCodes.Success, rotate.ToString());
        Assert.Matches(@"Audit key auk_[a-z2-7]{20} is now current; auk_[a-z2-7]{20} is kept", rotate.Output);
        Assert.True(seal.ExitCode == ExitCodes.Success, seal.ToString());
        Assert.True(verify.ExitCode == ExitCodes.Success, verify.ToString());
        Assert.Contains("checked against the checkpoint of", verify.Output, StringComparison.Ordinal);
        var hashes = (await AuditRows.ReadAsync(hub.Table("audit"), Partition)).Select(r => ((string)r.Record["chainHash"]!).Split(':')[0]).Distinct().ToList();
        Assert.Equal(2, hashes.Count);
    }

    [Fact]
    public async Task AuditVerify_AuditTablesWiped_ExitsOneNamingThePartition()
    {
        var hub = await CliHarness.StartAsync();
        await WriteRecordsAsync(hub, 3);
        Assert.Equal(ExitCodes.Success, (await hub.RunAsync("audit", "seal")).ExitCode);
        foreach (var table in new[] { hub.Table("audit"), hub.Table("auditchain") })
        {
            await foreach (var row in table.QueryAsync<TableEntity>(select: ["PartitionKey", "RowKey"]))
            {
                await table.DeleteEntityAsync(row.PartitionKey, row.RowKey, ETag.All);
            }
        }

        var verify = await hub.RunAsync("audit", "verify");

        Assert.True(verify.ExitCode == ExitCodes.Failure, verify.ToString());
        Assert.Contains(Partition, verify.Output, StringComparison.Ordinal);
    }

    private static async Task WriteRecordsAsync(CliHarness hub, int count)
    {
        await using var services = await hub.ServicesAsync();
        var log = services.Services.GetRequiredService<AuditLog>();
        for (var i = 0; i < count; i++)
        {
            await log.WriteAsync(new AuditEvent(Organization, null, AuditActions.SecretReveal, AuditOutcomes.Success, 200, "ApiKey", "key_test",
                Target: $"secret/s{i}", RequestId: $"req-{i}"));
        }
    }

    private static string Id((TableEntity Row, System.Text.Json.Nodes.JsonObject Record) stored) => (string)stored.Record["id"]!;
}
