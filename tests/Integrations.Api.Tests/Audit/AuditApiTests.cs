using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Integrations.Core.Audit;
using Integrations.Core.Common;
using Integrations.Testing;
using Microsoft.Extensions.DependencyInjection;
using static Integrations.Api.Tests.HubFixture;

namespace Integrations.Api.Tests.Audit;

public sealed class AuditApiTests(HubFixture hub) : IClassFixture<HubFixture>
{
    [Fact]
    public async Task EveryAction_IsAuditedWithWhoWhatAndOutcome()
    {
        var tenant = await hub.CreateTenantAsync();
        using var client = hub.Client(tenant.OwnerKey);
        client.DefaultRequestHeaders.UserAgent.ParseAdd("audit-test/1.0");
        await Json(await client.PostAsJsonAsync(tenant.Secrets, new { name = "audited", value = "v1" }), HttpStatusCode.Created);
        await Json(await client.GetAsync($"{tenant.Secrets}/audited"), HttpStatusCode.OK);
        await Json(await client.PostAsync($"{tenant.Secrets}/audited/reveal", null), HttpStatusCode.OK);
        await Json(await client.PutAsJsonAsync($"{tenant.Secrets}/audited", new { value = "v2" }), HttpStatusCode.OK);
        await Json(await client.GetAsync(tenant.Secrets), HttpStatusCode.OK);
        await client.DeleteAsync($"{tenant.Secrets}/audited");
        await Json(await client.PostAsync($"{tenant.Secrets}/audited/restore", null), HttpStatusCode.OK);
        await client.GetAsync($"{tenant.Secrets}/missing");

        var log = await Json(await client.GetAsync($"/v1/projects/{tenant.ProjectId}/audit?per_page=100"), HttpStatusCode.OK);
        var records = log["data"]!.AsArray().Select(r => r!).ToList();

        string[] expected = ["secret.create", "secret.read", "secret.reveal", "secret.update", "secret.list", "secret.delete", "secret.restore"];
        foreach (var action in expected)
        {
            var matching = records.Where(r => (string?)r["action"] == action && (string?)r["outcome"] == "success").ToList();
            Assert.True(matching.Count == 1, $"expected one {action} record; the log has: {string.Join(", ", records.Select(r => $"{r["action"]}:{r["outcome"]}"))}");
            var record = matching[0];
            Assert.StartsWith("key_", (string?)record["actor_id"]);
            Assert.Equal("127.0.0.1", (string?)record["source_ip"]);
            Assert.Equal("audit-test/1.0", (string?)record["user_agent"]);
        }

        var missing = Assert.Single(records, r => (string?)r["target"] == "secret/missing");
        Assert.Equal("not_found", (string?)missing["outcome"]);
        // Newest first.
        var times = records.Select(r => DateTimeOffset.Parse((string)r["time"]!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(times.OrderDescending(), times);
    }

    [Fact]
    public async Task DeniedAndUnauthenticatedAttempts_AreAudited_CredentialOnlyAsHmac()
    {
        var tenant = await hub.CreateTenantAsync();
        using var owner = hub.Client(tenant.OwnerKey);
        var reader = await Json(await owner.PostAsJsonAsync($"/v1/orgs/{tenant.OrganizationId}/api-keys", new { name = "r", scopes = new[] { "secrets:read" } }), HttpStatusCode.Created);
        using var readerClient = hub.Client((string)reader["key"]!);
        await readerClient.PostAsync($"{tenant.Secrets}/anything/reveal", null);
        const string bogus = "ihk_thisKeyWasNeverIssuedButLooksLikeOne";
        using var stranger = hub.Client(bogus);
        await stranger.GetAsync(tenant.Secrets);

        var log = await Json(await owner.GetAsync($"/v1/projects/{tenant.ProjectId}/audit"), HttpStatusCode.OK);
        var platform = await hub.Services.GetRequiredService<IAuditStore>()
            .QueryAsync(AuditPartition.Platform, DateTimeOffset.UnixEpoch, DateTimeOffset.MaxValue.AddDays(-1), new PageRequest(1, 100));

        var denied = Assert.Single(log["data"]!.AsArray(), r => (string?)r!["action"] == "secret.reveal")!;
        Assert.Equal("denied", (string?)denied["outcome"]);
        Assert.Equal(403, (int?)denied["status"]);
        var unauthenticated = platform.Items.Where(r => r.Outcome == AuditOutcomes.Unauthenticated && r.Action == AuditActions.SecretList).ToList();
        Assert.NotEmpty(unauthenticated);
        Assert.All(unauthenticated, r => Assert.StartsWith("hmac-sha256:", r.CredentialHmac));
        Assert.DoesNotContain(unauthenticated, r => (r.CredentialHmac ?? "").Contains(bogus, StringComparison.Ordinal));
    }

    [Fact]
    public async Task NoStoredRow_ContainsASecretValueOrApiKey()
    {
        var tenant = await hub.CreateTenantAsync();
        using var client = hub.Client(tenant.OwnerKey);
        var values = Enumerable.Range(0, 5).Select(i => $"PLAINTEXT-CANARY-{i}-{TestRandom.Hex(16)}").ToList();
        for (var i = 0; i < values.Count; i++)
        {
            await Json(await client.PostAsJsonAsync(tenant.Secrets, new { name = $"canary-{i}", value = values[i] }), HttpStatusCode.Created);
            await Json(await client.PostAsync($"{tenant.Secrets}/canary-{i}/reveal", null), HttpStatusCode.OK);
        }

        var updated = "PLAINTEXT-CANARY-UPDATED-" + TestRandom.Hex(16);
        await Json(await client.PutAsJsonAsync($"{tenant.Secrets}/canary-0", new { value = updated }), HttpStatusCode.OK);

        var rows = await StorageRows.ReadAllAsync(hub.ConnectionString, hub.Prefix);

        Assert.Contains(rows, r => r.RowKey == "S:canary-0");
        foreach (var secret in values.Append(updated).Append(tenant.OwnerKey).Append(hub.AdminKey))
        {
            Assert.False(StorageRows.Contains(rows, secret), "a stored row contains a secret in the clear");
        }
    }

    [Fact]
    public async Task AuditQuery_FiltersByTimeRange_AndRejectsBadRange()
    {
        var tenant = await hub.CreateTenantAsync();
        using var client = hub.Client(tenant.OwnerKey);
        await Json(await client.PostAsJsonAsync(tenant.Secrets, new { name = "timed", value = "v" }), HttpStatusCode.Created);
        var future = Uri.EscapeDataString(TimeProvider.System.GetUtcNow().AddHours(1).ToString("O"));

        var none = await Json(await client.GetAsync($"/v1/projects/{tenant.ProjectId}/audit?from={future}"), HttpStatusCode.OK);
        var some = await Json(await client.GetAsync($"/v1/projects/{tenant.ProjectId}/audit?to={future}"), HttpStatusCode.OK);

        Assert.Equal(0, (int?)none["pagination"]!["total"]);
        Assert.True((int?)some["pagination"]!["total"] >= 1);
        await Problem(await client.GetAsync($"/v1/projects/{tenant.ProjectId}/audit?from=yesterday"), HttpStatusCode.BadRequest, "invalid-query");
        await Problem(await client.GetAsync($"/v1/projects/{tenant.ProjectId}/audit?from={future}&to=2000-01-01T00:00:00Z"), HttpStatusCode.BadRequest, "invalid-query");
    }
}

/// <summary>With the audit table gone, nothing is revealed: the request fails closed.</summary>
public sealed class AuditFailClosedTests(HubFixture hub) : IClassFixture<HubFixture>
{
    [Fact]
    public async Task Reveal_WhenAuditCannotBeWritten_Returns503WithoutTheValue()
    {
        var tenant = await hub.CreateTenantAsync();
        using var client = hub.Client(tenant.OwnerKey);
        await Json(await client.PostAsJsonAsync(tenant.Secrets, new { name = "guarded", value = "MUST-NOT-LEAK" }), HttpStatusCode.Created);
        var audit = new global::Azure.Data.Tables.TableClient(hub.ConnectionString, hub.Prefix + "audit");
        await audit.DeleteAsync();
        try
        {
            var response = await client.PostAsync($"{tenant.Secrets}/guarded/reveal", null);
            var body = await response.Content.ReadAsStringAsync();

            await Problem(response, HttpStatusCode.ServiceUnavailable, "audit-unavailable");
            Assert.DoesNotContain("MUST-NOT-LEAK", body, StringComparison.Ordinal);
        }
        finally
        {
            await audit.CreateIfNotExistsAsync();
        }

        var revealed = await Json(await client.PostAsync($"{tenant.Secrets}/guarded/reveal", null), HttpStatusCode.OK);
        Assert.Equal("MUST-NOT-LEAK", (string?)revealed["value"]);
    }

    [Fact]
    public async Task Change_WhenAuditCannotBeWritten_Returns503AndChangesNothing()
    {
        var tenant = await hub.CreateTenantAsync();
        using var client = hub.Client(tenant.OwnerKey);
        await Json(await client.PostAsJsonAsync(tenant.Secrets, new { name = "unchanged", value = "v1" }), HttpStatusCode.Created);
        var audit = new global::Azure.Data.Tables.TableClient(hub.ConnectionString, hub.Prefix + "audit");
        await audit.DeleteAsync();
        try
        {
            await Problem(await client.PutAsJsonAsync($"{tenant.Secrets}/unchanged", new { value = "v2" }), HttpStatusCode.ServiceUnavailable, "audit-unavailable");
            await Problem(await client.PostAsJsonAsync($"/v1/orgs/{tenant.OrganizationId}/api-keys", new { name = "lost", scopes = new[] { "admin" } }),
                HttpStatusCode.ServiceUnavailable, "audit-unavailable");
        }
        finally
        {
            await audit.CreateIfNotExistsAsync();
        }

        var secret = await Json(await client.GetAsync($"{tenant.Secrets}/unchanged"), HttpStatusCode.OK);
        var keys = await Json(await client.GetAsync($"/v1/orgs/{tenant.OrganizationId}/api-keys"), HttpStatusCode.OK);
        Assert.Equal(1, (int?)secret["version"]);
        Assert.DoesNotContain(keys["data"]!.AsArray(), k => (string?)k!["name"] == "lost");
    }

    [Fact]
    public async Task Change_IsAuditedAsAttemptThenOutcome()
    {
        var tenant = await hub.CreateTenantAsync();
        using var client = hub.Client(tenant.OwnerKey);

        await Json(await client.PostAsJsonAsync(tenant.Secrets, new { name = "two-records", value = "v" }), HttpStatusCode.Created);

        var log = await Json(await client.GetAsync($"/v1/projects/{tenant.ProjectId}/audit"), HttpStatusCode.OK);
        var creates = log["data"]!.AsArray().Where(r => (string?)r!["action"] == "secret.create").ToList();
        Assert.Equal(["success", "attempt"], creates.Select(r => (string)r!["outcome"]!));
        Assert.Single(creates.Select(r => (string)r!["request_id"]!).Distinct());
    }
}
