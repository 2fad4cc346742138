using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Integrations.Api.Jobs;
using Integrations.Api.Tests.Connections;
using Integrations.Core.Audit;
using Integrations.Core.Common;
using Integrations.Core.Connections.Health;
using Microsoft.Extensions.DependencyInjection;
using static Integrations.Api.Tests.HubFixture;

namespace Integrations.Api.Tests.Maintenance;

/// <summary>
/// The daily health check through the real Server (a hub of its own per test: the job scans every tenant), against a
/// loopback upstream: connections in two tenants, one healthy, one failing with 401, one disabled.
/// </summary>
public sealed class ConnectionHealthCheckTests
{
    [Fact]
    public async Task Run_HealthyAndFailingConnectionsInTwoTenants_ChecksBothRecordsTheFailureAndAuditsEach()
    {
        // Arrange
        await using var upstream = await ProxyUpstream.StartAsync();
        await using var own = await OwnHub.StartAsync();
        var hub = own.Hub;
        var healthyTenant = await hub.CreateTenantAsync("Healthy Co");
        var failingTenant = await hub.CreateTenantAsync("Failing Co");
        var healthy = await CreateAsync(hub, healthyTenant, upstream, "good", "/echo/health-good");
        var disabled = await CreateAsync(hub, healthyTenant, upstream, "off", "/echo/health-disabled", enabled: false);
        var failing = await CreateAsync(hub, failingTenant, upstream, "bad", "/status/401/health-bad");

        // Act
        var outcome = await hub.Services.GetRequiredService<CheckConnectionHealthJob>().RunAsync();

        // Assert: both enabled connections were tested, the disabled one never sent anything.
        Assert.NotNull(outcome);
        Assert.Equal((1, 1), (outcome.Healthy, outcome.Unhealthy));
        Assert.Single(upstream.With("health-good"));
        Assert.Single(upstream.With("health-bad"));
        Assert.Empty(upstream.With("health-disabled"));
        Assert.Equal("Bearer " + ProxyApiTests.TokenValue, upstream.With("health-good")[0].Headers["Authorization"]);

        var good = await StatusAsync(hub, healthyTenant, healthy);
        var bad = await StatusAsync(hub, failingTenant, failing);
        var off = await StatusAsync(hub, healthyTenant, disabled);
        Assert.NotNull((string?)good["last_tested_at"]);
        Assert.True((bool?)good["last_test_succeeded"]);
        Assert.NotNull((string?)bad["last_tested_at"]);
        Assert.False((bool?)bad["last_test_succeeded"]);
        Assert.StartsWith("test: The provider answered 401", (string?)bad["last_error"], StringComparison.Ordinal);
        Assert.Equal("active", (string?)bad["status"]); // The test endpoint never moves a static connection's status; nor does the check.
        Assert.Null((string?)off["last_tested_at"]);

        var failedEvents = await EventsAsync(hub, failingTenant);
        var only = Assert.Single(failedEvents);
        Assert.Equal((failing, "401"), ((string?)only!["data"]!["connection_id"], (string?)only["data"]!["status"]));
        Assert.Empty(await EventsAsync(hub, healthyTenant));

        var goodAudit = await AuditAsync(hub, healthyTenant);
        var badAudit = await AuditAsync(hub, failingTenant);
        var goodRecord = Assert.Single(goodAudit);
        var badRecord = Assert.Single(badAudit);
        Assert.Equal(("connection/" + healthy, AuditOutcomes.Success, 200), (goodRecord.Target, goodRecord.Outcome, goodRecord.Status));
        Assert.Equal(("connection/" + failing, AuditOutcomes.Error, 401), (badRecord.Target, badRecord.Outcome, badRecord.Status));
        Assert.Equal(("System", ConnectionHealthCheck.Actor), (badRecord.ActorType, badRecord.ActorId));

        // Nothing the check wrote carries the credential.
        var written = JsonSerializer.Serialize(new object[] { good, bad, failedEvents, goodAudit, badAudit });
        Assert.DoesNotContain(ProxyApiTests.TokenValue, written, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_StillFailingNextDay_DoesNotRaiseTheEventAgainButRaisesItAfterARecovery()
    {
        // Arrange
        await using var upstream = await ProxyUpstream.StartAsync();
        await using var own = await OwnHub.StartAsync();
        var hub = own.Hub;
        var tenant = await hub.CreateTenantAsync();
        var failing = await CreateAsync(hub, tenant, upstream, "flaky", "/status/503/health-flaky");
        var job = hub.Services.GetRequiredService<CheckConnectionHealthJob>();

        // Act: fails, fails again, passes (its test path changed), fails again.
        await job.RunAsync();
        await job.RunAsync();
        var afterTwoFailures = await EventsAsync(hub, tenant);
        await PatchTestPathAsync(hub, tenant, failing, "/echo/health-flaky");
        var recovered = await job.RunAsync();
        await PatchTestPathAsync(hub, tenant, failing, "/status/500/health-flaky");
        await job.RunAsync();
        var afterRelapse = await EventsAsync(hub, tenant);

        // Assert: an event when it turns unhealthy, not every day it stays so.
        Assert.Single(afterTwoFailures);
        Assert.Equal(1, recovered!.Healthy);
        Assert.Equal(2, afterRelapse.Count);
        Assert.Equal(["500", "503"], afterRelapse.Select(e => (string)e!["data"]!["status"]!).Order(StringComparer.Ordinal));
        Assert.Equal(4, await AuditCountAsync(hub, tenant));
    }

    [Fact]
    public async Task Run_ConnectionWithoutItsSecret_IsUnhealthyWithTheReasonAndSendsNothing()
    {
        // Arrange: the secret the connection names is deleted after it was created.
        await using var upstream = await ProxyUpstream.StartAsync();
        await using var own = await OwnHub.StartAsync();
        var hub = own.Hub;
        var tenant = await hub.CreateTenantAsync();
        var id = await CreateAsync(hub, tenant, upstream, "orphan", "/echo/health-orphan");
        using var client = hub.Client(tenant.OwnerKey);
        Assert.True((await client.DeleteAsync($"{tenant.Secrets}/token")).IsSuccessStatusCode);

        // Act
        var outcome = await hub.Services.GetRequiredService<CheckConnectionHealthJob>().RunAsync();

        // Assert
        Assert.Equal(1, outcome!.Unhealthy);
        Assert.Empty(upstream.With("health-orphan"));
        var status = await StatusAsync(hub, tenant, id);
        Assert.StartsWith("test: ", (string?)status["last_error"], StringComparison.Ordinal);
        Assert.Single(await EventsAsync(hub, tenant));
    }

    /// <summary>A Server of its own (the job scans every tenant of its storage), in Development with the guard open to 127.0.0.1/32.</summary>
    private sealed class OwnHub : IAsyncDisposable
    {
        private OwnHub(HubFixture hub) => Hub = hub;

        public HubFixture Hub { get; }

        public static async Task<OwnHub> StartAsync()
        {
            var hub = new HubFixture { Environment = "Development" };
            hub.Settings["OutboundHttp:AllowedNetworks:0"] = "127.0.0.1/32";
            hub.Settings["Connections:HealthCheckSchedule"] = "0 0 0 1 1 *";
            await hub.InitializeAsync();
            return new OwnHub(hub);
        }

        public async ValueTask DisposeAsync()
        {
            await Hub.DisposeAsync();
            Hub.Dispose();
        }
    }

    private static async Task<string> CreateAsync(HubFixture hub, Tenant tenant, ProxyUpstream upstream, string name, string testPath, bool enabled = true)
    {
        using var client = hub.Client(tenant.OwnerKey);
        if ((await client.GetAsync($"{tenant.Secrets}/token")).StatusCode == HttpStatusCode.NotFound)
        {
            await ProxyApiTests.SecretsAsync(client, tenant);
        }

        var created = await Json(await client.PostAsJsonAsync(ConnectionsApiTests.Path(tenant), new
        {
            name, type = "bearer", secret_refs = new { token = "token" }, base_url = upstream.BaseUrl.AbsoluteUri, retries = 0, enabled,
            test_request = new { method = "GET", path = testPath },
        }), HttpStatusCode.Created);
        return (string)created["id"]!;
    }

    private static async Task PatchTestPathAsync(HubFixture hub, Tenant tenant, string id, string path)
    {
        using var client = hub.Client(tenant.OwnerKey);
        using var patch = new HttpRequestMessage(HttpMethod.Patch, $"{ConnectionsApiTests.Path(tenant)}/{id}")
        {
            Content = JsonContent.Create(new { test_request = new { method = "GET", path } }),
        };
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(patch)).StatusCode);
    }

    private static async Task<JsonNode> StatusAsync(HubFixture hub, Tenant tenant, string id)
    {
        using var client = hub.Client(tenant.OwnerKey);
        return await Json(await client.GetAsync($"{ConnectionsApiTests.Path(tenant)}/{id}/status"), HttpStatusCode.OK);
    }

    private static async Task<List<JsonNode?>> EventsAsync(HubFixture hub, Tenant tenant)
    {
        using var client = hub.Client(tenant.OwnerKey);
        var page = await Json(await client.GetAsync($"/v1/projects/{tenant.ProjectId}/activity?type=connection.health_check_failed"), HttpStatusCode.OK);
        return [.. page["data"]!.AsArray()];
    }

    private static async Task<List<AuditRecord>> AuditAsync(HubFixture hub, Tenant tenant)
    {
        var audit = await hub.Services.GetRequiredService<IAuditStore>().QueryAsync(AuditPartition.For(tenant.OrganizationId, tenant.ProjectId),
            DateTimeOffset.UnixEpoch, DateTimeOffset.MaxValue.AddDays(-1), new PageRequest(1, 100));
        return [.. audit.Items.Where(r => r.Action == AuditActions.ConnectionHealthCheck)];
    }

    private static async Task<int> AuditCountAsync(HubFixture hub, Tenant tenant) => (await AuditAsync(hub, tenant)).Count;
}
