using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Integrations.Azure.Tables;
using Integrations.Core.Audit;
using static Integrations.Api.Tests.HubFixture;

namespace Integrations.Api.Tests.Audit;

/// <summary>Audit queries are bounded in time, count totals exactly, and organizations read their own records.</summary>
public sealed class AuditQueryBoundsTests(HubFixture hub) : IClassFixture<HubFixture>
{
    [Fact]
    public async Task Query_WithoutFrom_CoversTheLastSevenDaysOnly()
    {
        var tenant = await hub.CreateTenantAsync();
        using var client = hub.Client(tenant.OwnerKey);
        var now = TimeProvider.System.GetUtcNow();
        var old = await AppendAsync(tenant, now.AddDays(-8), "secret/old");
        var recent = await AppendAsync(tenant, now.AddDays(-6), "secret/recent");

        var byDefault = await RecordIds(client, $"/v1/projects/{tenant.ProjectId}/audit?per_page=100");
        var from = Uri.EscapeDataString(now.AddDays(-9).ToString("O"));
        var widened = await RecordIds(client, $"/v1/projects/{tenant.ProjectId}/audit?per_page=100&from={from}");

        Assert.Contains(recent, byDefault);
        Assert.DoesNotContain(old, byDefault);
        Assert.Contains(old, widened);
    }

    [Fact]
    public async Task Query_WiderThanTheMaximumRange_IsRefused()
    {
        var tenant = await hub.CreateTenantAsync();
        using var client = hub.Client(tenant.OwnerKey);
        var from = Uri.EscapeDataString(TimeProvider.System.GetUtcNow().AddDays(-40).ToString("O"));

        await Problem(await client.GetAsync($"/v1/projects/{tenant.ProjectId}/audit?from={from}"), HttpStatusCode.BadRequest, "audit-range-too-wide");
        await Problem(await client.GetAsync($"/v1/orgs/{tenant.OrganizationId}/audit?from=2000-01-01T00:00:00Z&to=2001-01-01T00:00:00Z"),
            HttpStatusCode.BadRequest, "audit-range-too-wide");
    }

    [Fact]
    public async Task Query_AtTheEdgesOfTheCalendar_AnswersWithoutAServerError()
    {
        var tenant = await hub.CreateTenantAsync();
        using var client = hub.Client(tenant.OwnerKey);

        var earliest = await client.GetAsync($"/v1/projects/{tenant.ProjectId}/audit?to=0001-01-01T00:00:00Z");
        var latest = await client.GetAsync($"/v1/orgs/{tenant.OrganizationId}/audit?from=9999-12-31T23:59:59.9999999Z");

        await Problem(earliest, HttpStatusCode.BadRequest, "invalid-query");
        Assert.Equal(HttpStatusCode.OK, latest.StatusCode);
    }

    [Fact]
    public async Task Query_OverManySegments_CountsTheTotalExactlyOnEveryPage()
    {
        var tenant = await hub.CreateTenantAsync();
        using var client = hub.Client(tenant.OwnerKey);
        var start = TimeProvider.System.GetUtcNow().AddDays(-3);
        for (var i = 0; i < 23; i++)
        {
            await AppendAsync(tenant, start.AddSeconds(i * 5), $"secret/s{i}");
        }

        // One segment straddles `from`: only its newer record counts, so the count must read that segment's records.
        await AppendAsync(tenant, [start.AddSeconds(-1.5), start.AddSeconds(-0.5)], "secret/edge");
        var from = Uri.EscapeDataString(start.AddSeconds(-1).ToString("O"));
        var to = Uri.EscapeDataString(start.AddSeconds(5 * 20 + 1).ToString("O")); // s0..s20 and one edge record: 22; s21 and s22 outside
        var seen = new List<string>();
        for (var page = 1; page <= 3; page++)
        {
            var body = await Json(await client.GetAsync($"/v1/projects/{tenant.ProjectId}/audit?from={from}&to={to}&per_page=8&page={page}"), HttpStatusCode.OK);
            Assert.Equal(22, (int?)body["pagination"]!["total"]);
            seen.AddRange(body["data"]!.AsArray().Select(r => (string)r!["id"]!));
        }

        Assert.Equal(22, seen.Distinct().Count());
    }

    [Fact]
    public async Task OrganizationAudit_ShowsKeyChanges_ToAdminsOfThatOrganizationOnly()
    {
        var tenant = await hub.CreateTenantAsync();
        var other = await hub.CreateTenantAsync("Other");
        using var owner = hub.Client(tenant.OwnerKey);
        var reader = await Json(await owner.PostAsJsonAsync($"/v1/orgs/{tenant.OrganizationId}/api-keys", new { name = "r", scopes = new[] { "secrets:read" } }),
            HttpStatusCode.Created);
        using var readerClient = hub.Client((string)reader["key"]!);
        using var stranger = hub.Client(other.OwnerKey);

        var log = await Json(await owner.GetAsync($"/v1/orgs/{tenant.OrganizationId}/audit"), HttpStatusCode.OK);
        var creates = log["data"]!.AsArray().Where(r => (string?)r!["action"] == AuditActions.ApiKeyCreate).ToList();

        Assert.Contains(creates, r => (string?)r!["target"] == $"apikey/{(string)reader["id"]!}" && (string?)r!["outcome"] == "success");
        Assert.All(log["data"]!.AsArray(), r => Assert.Null((string?)r!["project_id"]));
        await Problem(await readerClient.GetAsync($"/v1/orgs/{tenant.OrganizationId}/audit"), HttpStatusCode.Forbidden, "missing-scope");
        var crossTenant = await stranger.GetAsync($"/v1/orgs/{tenant.OrganizationId}/audit");
        Assert.True(crossTenant.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound, $"another organization's key got {crossTenant.StatusCode}");
    }

    [Fact]
    public async Task Retention_AdminSetsItWithinBounds_OthersCannot()
    {
        var tenant = await hub.CreateTenantAsync();
        using var owner = hub.Client(tenant.OwnerKey);
        var reader = await Json(await owner.PostAsJsonAsync($"/v1/orgs/{tenant.OrganizationId}/api-keys", new { name = "r", scopes = new[] { "secrets:read" } }),
            HttpStatusCode.Created);
        using var readerClient = hub.Client((string)reader["key"]!);
        var url = $"/v1/orgs/{tenant.OrganizationId}/audit/retention";

        var initial = await Json(await owner.GetAsync(url), HttpStatusCode.OK);
        await Problem(await owner.PutAsJsonAsync(url, new { days = 30 }), HttpStatusCode.BadRequest, "retention-out-of-bounds");
        await Problem(await readerClient.PutAsJsonAsync(url, new { days = 400 }), HttpStatusCode.Forbidden, "missing-scope");
        var set = await Json(await owner.PutAsJsonAsync(url, new { days = 400 }), HttpStatusCode.OK);
        var after = await Json(await owner.GetAsync(url), HttpStatusCode.OK);

        Assert.True((bool?)initial["is_default"]);
        Assert.Equal(2555, (int?)initial["days"]);
        Assert.Equal(400, (int?)set["days"]);
        Assert.Equal(400, (int?)after["days"]);
        Assert.False((bool?)after["is_default"]);
    }

    /// <summary>
    /// Writes one record as its own segment row, straight into the audit table: the store's writer refuses records
    /// older than a few minutes, and these tests need records from days ago.
    /// </summary>
    private async Task<string> AppendAsync(Tenant tenant, DateTimeOffset time, string target) => (await AppendAsync(tenant, [time], target))[0];

    private async Task<List<string>> AppendAsync(Tenant tenant, DateTimeOffset[] times, string target)
    {
        var records = times.Select(time => new AuditRecord(Integrations.Core.Common.Ids.New("aud"), time, tenant.OrganizationId, tenant.ProjectId,
            AuditActions.SecretRead, AuditOutcomes.Success, 200, "ApiKey", "key_test", target, "127.0.0.1", null, null, null)).ToList();
        var table = new TableClient(hub.ConnectionString, hub.Prefix + "audit");
        await table.AddEntityAsync(AuditSegment.ToEntity(records[0].Partition, records, records.Select(AuditSegment.SerializeOne).ToList()));
        return records.Select(r => r.Id).ToList();
    }

    private static async Task<List<string>> RecordIds(HttpClient client, string url) =>
        (await Json(await client.GetAsync(url), HttpStatusCode.OK))["data"]!.AsArray().Select(r => (string)r!["id"]!).ToList();
}
