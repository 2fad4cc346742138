using Integrations.Core.Audit;
using Integrations.Core.Common;

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
}
