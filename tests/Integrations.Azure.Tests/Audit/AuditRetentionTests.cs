using Integrations.Core.Audit;
using Integrations.Core.Common;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Integrations.Azure.Tests.Audit;

/// <summary>Retention cleanup of the audit log over Table Storage: old records go, and the chain that remains still verifies.</summary>
public sealed class AuditRetentionTests
{
    [Fact]
    public async Task Cleanup_PastRetention_DeletesOldRecords_AndTheRestStillVerifies()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using var hub = await HubServices.StartAsync(settings: new Dictionary<string, string?> { ["Audit:Retention"] = "30.00:00:00" },
            configure: s => s.AddSingleton<TimeProvider>(time));
        var log = hub.Get<AuditLog>();
        var chain = hub.Get<AuditChain>();
        for (var i = 0; i < 5; i++)
        {
            await log.WriteAsync(new AuditEvent("org_aaaaaaaaaaaaaaaaaaaa", null, AuditActions.ApiKeyCreate, AuditOutcomes.Success, 201, "ApiKey", "key_old"));
            time.Advance(TimeSpan.FromMinutes(1));
        }

        Assert.Equal(5, await chain.SealAsync());
        time.Advance(TimeSpan.FromDays(40));
        for (var i = 0; i < 3; i++)
        {
            await log.WriteAsync(new AuditEvent("org_aaaaaaaaaaaaaaaaaaaa", null, AuditActions.ApiKeyRevoke, AuditOutcomes.Success, 204, "ApiKey", "key_new"));
            time.Advance(TimeSpan.FromMinutes(1));
        }

        var deleted = await chain.CleanupAsync();
        var remaining = await hub.Get<IAuditStore>().QueryAsync("org_aaaaaaaaaaaaaaaaaaaa_org", DateTimeOffset.UnixEpoch, DateTimeOffset.MaxValue, new PageRequest(1, 100));

        Assert.Equal(5, deleted);
        Assert.Equal(3, remaining.Total);
        Assert.All(remaining.Items, r => Assert.Equal("key_new", r.ActorId));
        Assert.Empty((await chain.VerifyAsync()).Findings);
        Assert.Equal(3, await chain.SealAsync());
        Assert.Empty((await chain.VerifyAsync()).Findings);
    }
}
