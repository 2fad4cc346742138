using Integrations.Azure.Tables;
using Integrations.Core.Audit;
using Integrations.Core.Common;
using Integrations.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Integrations.Azure.Tests.Tables;

public sealed class TableAuditStoreTests
{
    [Fact]
    public async Task Append_ManyConcurrent_EveryRecordStoredOnce()
    {
        await using var hub = await HubServices.StartAsync();
        var log = hub.Get<AuditLog>();
        const int count = 300;

        await Task.WhenAll(Enumerable.Range(0, count).Select(i =>
            log.WriteAsync(new AuditEvent("org_aaaaaaaaaaaaaaaaaaaa", i % 3 == 0 ? "prj_aaaaaaaaaaaaaaaaaaaa" : "prj_bbbbbbbbbbbbbbbbbbbb", AuditActions.SecretRead, AuditOutcomes.Success, 200, "ApiKey", $"key_{i}"))));

        var store = hub.Get<IAuditStore>();
        var a = await store.QueryAsync("org_aaaaaaaaaaaaaaaaaaaa_prj_aaaaaaaaaaaaaaaaaaaa", DateTimeOffset.UnixEpoch, DateTimeOffset.MaxValue, new PageRequest(1, 100));
        var b = await store.QueryAsync("org_aaaaaaaaaaaaaaaaaaaa_prj_bbbbbbbbbbbbbbbbbbbb", DateTimeOffset.UnixEpoch, DateTimeOffset.MaxValue, new PageRequest(1, 100));
        Assert.Equal(count, a.Total + b.Total);
        Assert.Equal(100, a.Total);
    }

    private static AuditEvent Event(string project, string action = AuditActions.SecretRead) =>
        new("org_aaaaaaaaaaaaaaaaaaaa", project, action, AuditOutcomes.Success, 200, "ApiKey", "key_a");

    [Fact]
    public async Task IdlePartitionWriters_AreClosed_AndAPartitionWrittenAgainGetsANewOne()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using var hub = await HubServices.StartAsync(configure: s => s.AddSingleton<TimeProvider>(time));
        var log = hub.Get<AuditLog>();
        var store = (TableAuditStore)hub.Get<IAuditStore>();
        var projects = Enumerable.Range(0, 3).Select(i => $"prj_{new string((char)('a' + i), 20)}").ToList();
        foreach (var project in projects)
        {
            await log.WriteAsync(Event(project));
        }

        var openWhileBusy = store.OpenPartitionWriters;
        time.Advance(TableAuditStore.IdleWriterTimeout + TimeSpan.FromMinutes(1));
        await log.WriteAsync(Event("prj_zzzzzzzzzzzzzzzzzzzz"));
        var openAfterIdle = store.OpenPartitionWriters;
        await log.WriteAsync(Event(projects[0], AuditActions.SecretUpdate));

        Assert.Equal(3, openWhileBusy);
        Assert.Equal(1, openAfterIdle);
        Assert.Equal(2, store.OpenPartitionWriters);
        var first = await store.ReadAsync(AuditPartition.For("org_aaaaaaaaaaaaaaaaaaaa", projects[0]), DateTimeOffset.UnixEpoch, DateTimeOffset.MaxValue.AddDays(-1));
        Assert.Equal([AuditActions.SecretRead, AuditActions.SecretUpdate], first.Select(r => r.Action));
    }

    [Fact]
    public async Task Summary_WithACount_IsStoredAndReadBack_AndTheChainVerifies()
    {
        await using var hub = await HubServices.StartAsync();
        var log = hub.Get<AuditLog>();
        await log.WriteAsync(Event("prj_aaaaaaaaaaaaaaaaaaaa"));
        await log.WriteAsync(Event("prj_aaaaaaaaaaaaaaaaaaaa", AuditActions.AuthenticationFailures) with { Count = 199 });

        var records = await hub.Get<IAuditStore>().ReadAsync(AuditPartition.For("org_aaaaaaaaaaaaaaaaaaaa", "prj_aaaaaaaaaaaaaaaaaaaa"), DateTimeOffset.UnixEpoch,
            DateTimeOffset.MaxValue.AddDays(-1));
        var chain = hub.Get<AuditChain>();
        await chain.SealAsync();

        Assert.Equal([1, 199], records.Select(r => r.Count));
        Assert.Empty((await chain.VerifyAsync()).Findings);
    }

    [Fact]
    public async Task Summary_ItsCountIsBoundIntoTheChain_SoAnEditedCountFailsVerification()
    {
        await using var hub = await HubServices.StartAsync();
        var log = hub.Get<AuditLog>();
        var partition = AuditPartition.For("org_aaaaaaaaaaaaaaaaaaaa", "prj_aaaaaaaaaaaaaaaaaaaa");
        await log.WriteAsync(Event("prj_aaaaaaaaaaaaaaaaaaaa", AuditActions.AuthenticationFailures) with { Count = 199 });
        var chain = hub.Get<AuditChain>();
        await chain.SealAsync();
        var (row, record) = Assert.Single(await AuditRows.ReadAsync(hub.Get<HubTables>().Audit, partition));

        await AuditRows.EditAsync(hub.Get<HubTables>().Audit, row, (string)record["id"]!, "count", 3);

        var finding = Assert.Single((await chain.VerifyAsync()).Findings);
        Assert.Equal((string)record["id"]!, finding.RecordId);
    }
}
