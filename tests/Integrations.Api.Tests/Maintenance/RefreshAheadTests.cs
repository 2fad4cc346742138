using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Azure.Data.Tables;
using Integrations.Api.Jobs;
using Integrations.Core.Audit;
using Integrations.Core.Common;
using Integrations.Core.Connections;
using Integrations.Core.OAuth.Tokens;
using Microsoft.Extensions.DependencyInjection;
using static Integrations.Api.Tests.HubFixture;

namespace Integrations.Api.Tests.Maintenance;

/// <summary>The refresh-ahead job against a real Server over Azurite and a loopback OpenIddict server (client credentials).</summary>
public sealed class RefreshAheadTests
{
    private static readonly TimeSpan Horizon = TimeSpan.FromMinutes(20);

    [Fact]
    public async Task Run_DueConnections_RefreshesOldestFirstBoundedPerRun()
    {
        // Arrange: three tokens due within the horizon (10-minute tokens), one not (a 1-hour token); two per run.
        await using var m = await MaintenanceHub.StartAsync(new Dictionary<string, string?> { ["OAuth:RefreshAheadBatchSize"] = "2" });
        var provider = await m.CreateProviderAsync();
        // expires_in is whole seconds: 1.5 s apart keeps the due times in creation order whatever the rounding.
        var first = await m.ConnectAsync(provider, "first");
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var second = await m.ConnectAsync(provider, "second");
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var third = await m.ConnectAsync(provider, "third");
        m.Idp.AccessTokenLifetime = TimeSpan.FromHours(1);
        var later = await m.ConnectAsync(provider, "later");
        var job = m.Services.GetRequiredService<RefreshAheadService>();
        var until = TimeProvider.System.GetUtcNow() + Horizon;
        m.Idp.ResetTokenRequestCounts();

        // Act
        var run1 = await job.RunAsync(until);
        var afterRun1 = await StatesAsync(m, first, second, third, later);
        var run2 = await job.RunAsync(until);
        var afterRun2 = await StatesAsync(m, first, second, third, later);
        var run3 = await job.RunAsync(until);

        // Assert: the two oldest first, the third on the next run, the one not due never; a run with nothing due does nothing.
        Assert.Equal(2, run1.Refreshed);
        Assert.True(afterRun1[0].LastRefreshedAt > first.State.LastRefreshedAt);
        Assert.True(afterRun1[1].LastRefreshedAt > second.State.LastRefreshedAt);
        Assert.Equal(third.State.LastRefreshedAt, afterRun1[2].LastRefreshedAt);
        Assert.Equal(1, run2.Refreshed);
        Assert.True(afterRun2[2].LastRefreshedAt > third.State.LastRefreshedAt);
        Assert.Equal(afterRun1[0].LastRefreshedAt, afterRun2[0].LastRefreshedAt);
        Assert.Equal(later.State.LastRefreshedAt, afterRun2[3].LastRefreshedAt);
        Assert.Equal(new RefreshAheadService.Outcome(0, 0, 0, 0), run3);
        Assert.Equal(3, m.Idp.TokenRequests("client_credentials"));
        Assert.All(afterRun2.Take(3), s => Assert.True(s.NextRefreshAt > until, "a refreshed token is due after the horizon"));
    }

    [Fact]
    public async Task Run_NeedsReauthDisabledOrDeleted_SkipsThemAndDropsTheirEntries()
    {
        // Arrange
        await using var m = await MaintenanceHub.StartAsync();
        var provider = await m.CreateProviderAsync();
        var disabled = await m.ConnectAsync(provider, "disabled");
        var reauth = await m.ConnectAsync(provider, "reauth");
        var deleted = await m.ConnectAsync(provider, "deleted");
        var healthy = await m.ConnectAsync(provider, "healthy");
        using var client = m.Hub.Client(m.Tenant.OwnerKey);
        var connections = $"/v1/projects/{m.Tenant.ProjectId}/connections";
        await Json(await client.PatchAsJsonAsync($"{connections}/{disabled.Id}", new { enabled = false }), HttpStatusCode.OK);
        await Json(await client.DeleteAsync($"{connections}/{deleted.Id}"), HttpStatusCode.OK);
        var moved = await m.Services.GetRequiredService<ConnectionStateChanges>().ChangeStatusAsync(m.Tenant.OrganizationId, m.Tenant.ProjectId, reauth.Id,
            ConnectionStatus.NeedsReauth, "test: consent withdrawn", ChangeActor.Job("test"));
        Assert.True(moved.IsSuccess);
        var job = m.Services.GetRequiredService<RefreshAheadService>();
        var until = TimeProvider.System.GetUtcNow() + Horizon;
        m.Idp.ResetTokenRequestCounts();
        m.Idp.AccessTokenLifetime = TimeSpan.FromHours(1); // the refreshed token is due after the horizon

        // Act
        var run = await job.RunAsync(until);
        var again = await job.RunAsync(until);

        // Assert: only the healthy one refreshed; the other entries are gone, so the next run finds nothing.
        Assert.Equal(1, run.Refreshed);
        Assert.True((await m.GetAsync(healthy.Id)).State.LastRefreshedAt > healthy.State.LastRefreshedAt);
        Assert.Equal(disabled.State.LastRefreshedAt, (await m.GetAsync(disabled.Id)).State.LastRefreshedAt);
        Assert.Equal(ConnectionStatus.NeedsReauth, (await m.GetAsync(reauth.Id)).State.Status);
        Assert.Equal(1, m.Idp.TokenRequests("client_credentials"));
        Assert.Equal(0, again.Refreshed + again.Removed + again.Failed);
        var rows = await IndexRowsAsync(m);
        Assert.DoesNotContain(rows, r => r.GetString("ConnectionId") is var id && (id == disabled.Id || id == reauth.Id || id == deleted.Id));
    }

    [Fact]
    public async Task Run_AuditsEachRefreshAsSystem()
    {
        await using var m = await MaintenanceHub.StartAsync();
        var connection = await m.ConnectAsync(await m.CreateProviderAsync(), "audited");

        await m.Services.GetRequiredService<RefreshAheadService>().RunAsync(TimeProvider.System.GetUtcNow() + Horizon);

        var audit = await m.Services.GetRequiredService<IAuditStore>().QueryAsync(AuditPartition.For(m.Tenant.OrganizationId, m.Tenant.ProjectId),
            DateTimeOffset.UnixEpoch, DateTimeOffset.MaxValue.AddDays(-1), new PageRequest(1, 100));
        var record = Assert.Single(audit.Items, r => r.Action == AuditActions.ConnectionRefreshAhead);
        Assert.Equal("System", record.ActorType);
        Assert.Equal(RefreshAheadService.Actor, record.ActorId);
        Assert.Equal("connection/" + connection.Id, record.Target);
        Assert.Equal(AuditOutcomes.Success, record.Outcome);
    }

    [Fact]
    public async Task Run_ForgedIndexRowForAConnectionNotDue_DoesNotRefreshItAndRemovesTheRow()
    {
        // Arrange: an attacker with table access inserts an index row claiming a 1-hour token (not due) is due now.
        await using var m = await MaintenanceHub.StartAsync();
        m.Idp.AccessTokenLifetime = TimeSpan.FromHours(1);
        var connection = await m.ConnectAsync(await m.CreateProviderAsync(), "not-due");
        var table = new TableClient(m.Hub.ConnectionString, m.Hub.Prefix + "refreshdue");
        var forgedDue = TimeProvider.System.GetUtcNow().AddMinutes(-5);
        var forgedKey = $"{forgedDue.UtcTicks.ToString("D19", CultureInfo.InvariantCulture)}|{m.Tenant.OrganizationId}|{m.Tenant.ProjectId}|{connection.Id}";
        await table.AddEntityAsync(new TableEntity(forgedDue.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture), forgedKey)
        {
            ["OrganizationId"] = m.Tenant.OrganizationId, ["ProjectId"] = m.Tenant.ProjectId, ["ConnectionId"] = connection.Id, ["DueAt"] = forgedDue,
        });
        m.Idp.ResetTokenRequestCounts();

        // Act
        var run = await m.Services.GetRequiredService<RefreshAheadService>().RunAsync(TimeProvider.System.GetUtcNow() + Horizon);

        // Assert: the connection's own due time decides; the forged row is gone, the real one stays.
        Assert.Equal(0, run.Refreshed);
        Assert.Equal(1, run.Removed);
        Assert.Equal(0, m.Idp.TokenRequests("client_credentials"));
        var rows = await IndexRowsAsync(m);
        var row = Assert.Single(rows);
        Assert.Equal(connection.State.NextRefreshAt, row.GetDateTimeOffset("DueAt"));
    }

    [Fact]
    public void Until_IsTheNextOccurrencePlusAMargin()
    {
        var now = new DateTimeOffset(2026, 11, 30, 10, 2, 30, TimeSpan.Zero);

        var until = RefreshTokensAheadJob.Until("0 */5 * * * *", now);

        Assert.Equal(new DateTimeOffset(2026, 11, 30, 10, 6, 0, TimeSpan.Zero), until);
    }

    private static async Task<List<ConnectionState>> StatesAsync(MaintenanceHub m, params Connection[] connections)
    {
        var states = new List<ConnectionState>();
        foreach (var connection in connections)
        {
            states.Add((await m.GetAsync(connection.Id)).State);
        }

        return states;
    }

    private static async Task<List<TableEntity>> IndexRowsAsync(MaintenanceHub m)
    {
        var table = new TableClient(m.Hub.ConnectionString, m.Hub.Prefix + "refreshdue");
        var rows = new List<TableEntity>();
        await foreach (var row in table.QueryAsync<TableEntity>())
        {
            rows.Add(row);
        }

        return rows;
    }
}
