using Azure;
using Azure.Data.Tables;
using Integrations.Core.Audit;
using Integrations.Core.Common;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Integrations.Azure.Tests.Audit;

/// <summary>Retention cleanup of the audit log over Table Storage: old records go, and the chain that remains still verifies.</summary>
public sealed class AuditRetentionTests
{
    private const string Shorter = "org_aaaaaaaaaaaaaaaaaaaa";
    private const string Default = "org_bbbbbbbbbbbbbbbbbbbb";

    private static Dictionary<string, string?> ShortRetention => new()
    {
        ["Audit:Retention"] = "30.00:00:00",
        ["Audit:MinimumRetention"] = "5.00:00:00",
    };

    [Fact]
    public async Task Cleanup_OrganizationWithItsOwnRetention_LosesOnlyItsOwnOlderRecords()
    {
        // Arrange: two organizations' records of the same age; one keeps records 10 days, the other the platform's 30.
        var time = new FakeTimeProvider(new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using var hub = await HubServices.StartAsync(settings: ShortRetention, configure: s => s.AddSingleton<TimeProvider>(time));
        var log = hub.Get<AuditLog>();
        foreach (var organization in new[] { Shorter, Default })
        {
            await log.WriteAsync(new AuditEvent(organization, null, AuditActions.ApiKeyCreate, AuditOutcomes.Success, 201, "ApiKey", "key_x"));
        }

        var retention = hub.Get<AuditRetention>();
        Assert.True((await retention.SetAsync(Shorter, 10)).IsSuccess);
        time.Advance(TimeSpan.FromMinutes(5));
        await hub.Get<AuditChain>().SealAsync();
        time.Advance(TimeSpan.FromDays(20));

        // Act
        var deleted = await hub.Get<AuditChain>().CleanupAsync();

        // Assert
        var store = hub.Get<IAuditStore>();
        Assert.Equal(1, deleted);
        Assert.Equal(0, (await store.QueryAsync(AuditPartition.For(Shorter, null), DateTimeOffset.UnixEpoch, time.GetUtcNow(), new PageRequest(1, 10))).Total);
        Assert.Equal(1, (await store.QueryAsync(AuditPartition.For(Default, null), DateTimeOffset.UnixEpoch, time.GetUtcNow(), new PageRequest(1, 10))).Total);
        Assert.Empty((await hub.Get<AuditChain>().VerifyAsync()).Findings);
        // Lengthening the retention afterwards is no finding: the anchor cleanup left was legitimate when it was set.
        Assert.True((await retention.SetAsync(Shorter, 30)).IsSuccess);
        Assert.Empty((await hub.Get<AuditChain>().VerifyAsync()).Findings);
    }

    [Fact]
    public async Task RetentionRowShortenedInStorage_IsRefused_AndCleanupKeepsTheRecords()
    {
        // Arrange: an organization keeps its records 20 days; a storage writer rewrites its setting to the platform minimum.
        var time = new FakeTimeProvider(new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using var hub = await HubServices.StartAsync(settings: ShortRetention, configure: s => s.AddSingleton<TimeProvider>(time));
        await hub.Get<AuditLog>().WriteAsync(new AuditEvent(Shorter, null, AuditActions.ApiKeyCreate, AuditOutcomes.Success, 201, "ApiKey", "key_x"));
        var retention = hub.Get<AuditRetention>();
        Assert.True((await retention.SetAsync(Shorter, 20)).IsSuccess);
        time.Advance(TimeSpan.FromMinutes(5));
        await hub.Get<AuditChain>().SealAsync();
        var tenancy = new TableClient(hub.ConnectionString, hub.Prefix + "tenancy");
        await tenancy.UpdateEntityAsync(new TableEntity(Shorter, "s:audit") { ["RetentionDays"] = 5 }, ETag.All, TableUpdateMode.Merge);
        time.Advance(TimeSpan.FromDays(10));

        // Act
        var deleted = await hub.Get<AuditChain>().CleanupAsync();

        // Assert: the unsigned value is not used (the platform default of 30 days applies), so nothing goes.
        Assert.Equal(0, deleted);
        Assert.Equal((TimeSpan.FromDays(30), false), await retention.ForOrganizationAsync(Shorter));
        Assert.Equal(1, (await hub.Get<IAuditStore>().QueryAsync(AuditPartition.For(Shorter, null), DateTimeOffset.UnixEpoch, time.GetUtcNow(), new PageRequest(1, 10))).Total);
    }

    [Fact]
    public async Task SetRetention_OutsideThePlatformBounds_IsRefusedAndChangesNothing()
    {
        await using var hub = await HubServices.StartAsync(settings: ShortRetention);
        var retention = hub.Get<AuditRetention>();

        var tooShort = await retention.SetAsync(Shorter, 4);
        var tooLong = await retention.SetAsync(Shorter, 100_000);

        Assert.Equal(AuditErrors.RetentionOutOfBounds, tooShort.Error?.Code);
        Assert.Equal(AuditErrors.RetentionOutOfBounds, tooLong.Error?.Code);
        Assert.Equal((TimeSpan.FromDays(30), false), await retention.ForOrganizationAsync(Shorter));
    }

    [Fact]
    public async Task Cleanup_PastRetention_DeletesOldRecords_AndTheRestStillVerifies()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using var hub = await HubServices.StartAsync(settings: ShortRetention, configure: s => s.AddSingleton<TimeProvider>(time));
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
