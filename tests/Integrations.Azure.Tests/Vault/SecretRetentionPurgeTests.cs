using Azure.Data.Tables;
using Integrations.Core.Audit;
using Integrations.Core.Common;
using Integrations.Core.Vault;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Integrations.Azure.Tests.Vault;

/// <summary>The retention purge job: deleted secrets past retention go for good (every row), audited; nothing else is touched.</summary>
public sealed class SecretRetentionPurgeTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task RunAsync_DeletedPastRetention_PurgesEveryRowAndAudits_LeavesRecentAndLiveSecrets()
    {
        // Arrange: retention 30 days; "old" deleted 40 days ago (in two tenants), "recent" 10 days ago, "live" never.
        var time = new FakeTimeProvider(Start);
        await using var hub = await StartAsync(time);
        var (org, project) = await hub.CreateProjectAsync("Acme");
        var (otherOrg, otherProject) = await hub.CreateProjectAsync("Other");
        var vault = hub.Get<VaultService>();
        var old = await CreateAsync(hub, org, project, "old", versions: 3);
        var oldElsewhere = await CreateAsync(hub, otherOrg, otherProject, "old", versions: 1);
        var recent = await CreateAsync(hub, org, project, "recent", versions: 1);
        var live = await CreateAsync(hub, org, project, "live", versions: 2);
        await vault.DeleteAsync(old, "test");
        await vault.DeleteAsync(oldElsewhere, "test");
        time.Advance(TimeSpan.FromDays(30));
        await vault.DeleteAsync(recent, "test");
        time.Advance(TimeSpan.FromDays(10));

        // Act
        var purged = await hub.Get<SecretRetentionPurge>().RunAsync();

        // Assert: every row of the old secrets is gone (secret, versions, id row); the others are untouched.
        Assert.Equal(2, purged);
        Assert.Empty(await RowsAsync(hub, org, project, "old"));
        Assert.Empty(await RowsAsync(hub, otherOrg, otherProject, "old"));
        Assert.Equal(3, (await RowsAsync(hub, org, project, "recent")).Count); // S:, V:1, I:
        Assert.Equal(4, (await RowsAsync(hub, org, project, "live")).Count);
        Assert.True((await vault.RestoreAsync(recent, "test")).IsSuccess);
        Assert.Equal("v2", (await vault.RevealAsync(live, null)).Value?.Value);
        var records = await hub.Get<IAuditStore>().ReadAsync($"{org}_{project}", Start, Start.AddYears(1));
        var purges = records.Where(r => r.Action == AuditActions.SecretPurge).ToList();
        Assert.Equal([AuditOutcomes.Attempt, AuditOutcomes.Success], purges.OrderBy(r => r.Status).Select(r => r.Outcome));
        Assert.All(purges, r => Assert.Equal((SecretRetentionPurge.ActorType, SecretRetentionPurge.Actor, "secret/old"), (r.ActorType, r.ActorId, r.Target)));
        Assert.Single(purges.Select(r => r.RequestId).Distinct());
    }

    [Fact]
    public async Task RunAsync_MoreThanABatch_PurgesABatchPerRun()
    {
        var time = new FakeTimeProvider(Start);
        await using var hub = await StartAsync(time, batchSize: 2);
        var (org, project) = await hub.CreateProjectAsync("Acme");
        var vault = hub.Get<VaultService>();
        foreach (var name in new[] { "a", "b", "c" })
        {
            await vault.DeleteAsync(await CreateAsync(hub, org, project, name, versions: 1), "test");
        }

        time.Advance(TimeSpan.FromDays(31));
        var purge = hub.Get<SecretRetentionPurge>();

        Assert.Equal(2, await purge.RunAsync());
        Assert.Equal(1, await purge.RunAsync());
        Assert.Equal(0, await purge.RunAsync());
    }

    [Fact]
    public async Task PurgeExpiredAsync_LiveOrInsideRetention_IsRefusedAndKeepsTheSecret()
    {
        var time = new FakeTimeProvider(Start);
        await using var hub = await StartAsync(time);
        var (org, project) = await hub.CreateProjectAsync("Acme");
        var vault = hub.Get<VaultService>();
        var live = await CreateAsync(hub, org, project, "live", versions: 1);
        var recent = await CreateAsync(hub, org, project, "recent", versions: 1);
        await vault.DeleteAsync(recent, "test");
        time.Advance(TimeSpan.FromDays(29));

        var purgeLive = await vault.PurgeExpiredAsync(live, SecretRetentionPurge.Actor);
        var purgeRecent = await vault.PurgeExpiredAsync(recent, SecretRetentionPurge.Actor);

        Assert.Equal(ErrorKind.Conflict, purgeLive.Error?.Kind);
        Assert.Equal(ErrorKind.Conflict, purgeRecent.Error?.Kind);
        Assert.True((await vault.GetAsync(live)).IsSuccess);
        Assert.True((await vault.RestoreAsync(recent, "test")).IsSuccess);
    }

    [Fact]
    public async Task Purge_LiveSecretMarkedPurgingInStorage_IsRefusedAndKeepsTheSecret()
    {
        // Someone with table access marks a live secret as being purged, hoping a purge skips its checks.
        var time = new FakeTimeProvider(Start);
        await using var hub = await StartAsync(time);
        var (org, project) = await hub.CreateProjectAsync("Acme");
        var vault = hub.Get<VaultService>();
        var live = await CreateAsync(hub, org, project, "live", versions: 2);
        var table = new TableClient(hub.ConnectionString, hub.Prefix + "secrets");
        await table.UpdateEntityAsync(new TableEntity($"{org}_{project}", "S:live") { ["Purging"] = true }, global::Azure.ETag.All, TableUpdateMode.Merge);
        time.Advance(TimeSpan.FromDays(365));

        var expired = await vault.PurgeExpiredAsync(live, SecretRetentionPurge.Actor);
        var purge = await vault.PurgeAsync(live, "test");
        var run = await hub.Get<SecretRetentionPurge>().RunAsync();

        Assert.Equal((ErrorKind.Conflict, ErrorKind.Conflict, 0), (expired.Error?.Kind, purge.Error?.Kind, run));
        Assert.Equal("v2", (await vault.RevealAsync(live, null)).Value?.Value);
        Assert.Equal(4, (await RowsAsync(hub, org, project, "live")).Count);
    }

    private static Task<HubServices> StartAsync(FakeTimeProvider time, int batchSize = 500) =>
        HubServices.StartAsync(
            settings: new Dictionary<string, string?> { ["Vault:SoftDeleteRetention"] = "30.00:00:00", ["Vault:PurgeBatchSize"] = batchSize.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            configure: s => s.AddSingleton<TimeProvider>(time));

    private static async Task<SecretLocation> CreateAsync(HubServices hub, string org, string project, string name, int versions)
    {
        var vault = hub.Get<VaultService>();
        var created = await vault.CreateAsync(await hub.ProjectAsync(org, project), name, new SecretInput("v1", null, null), "test");
        Assert.True(created.IsSuccess);
        for (var version = 2; version <= versions; version++)
        {
            Assert.True((await vault.UpdateAsync(created.Value.Location, new SecretInput($"v{version}", null, null), null, "test")).IsSuccess);
        }

        return created.Value.Location;
    }

    /// <summary>The secret's rows as stored: its S: row, its V: rows and the I: row naming it.</summary>
    private static async Task<List<string>> RowsAsync(HubServices hub, string org, string project, string name)
    {
        var table = new TableClient(hub.ConnectionString, hub.Prefix + "secrets");
        var rows = new List<string>();
        await foreach (var row in table.QueryAsync<TableEntity>(e => e.PartitionKey == $"{org}_{project}"))
        {
            if (row.RowKey == "S:" + name || row.RowKey.StartsWith($"V:{name}:", StringComparison.Ordinal) || (row.GetString("Name") == name && row.RowKey.StartsWith("I:", StringComparison.Ordinal)))
            {
                rows.Add(row.RowKey);
            }
        }

        return rows;
    }
}
