using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Integrations.Core.Vault;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static Integrations.Api.Tests.HubFixture;

namespace Integrations.Api.Tests.Maintenance;

/// <summary>Secret expiry fields through the API and the expiry check through the real stores, time driven by a FakeTimeProvider.</summary>
public sealed class SecretExpiryTests(HubFixture hub) : IClassFixture<HubFixture>
{
    [Fact]
    public async Task CreatePatch_ExpiryAndRotation_AreStoredAndShown()
    {
        var tenant = await hub.CreateTenantAsync();
        using var client = hub.Client(tenant.OwnerKey);

        var created = await Json(await client.PostAsJsonAsync(tenant.Secrets, new { name = "api", value = "v", expires_at = "2027-01-01T00:00:00Z", rotate_every = "P90D" }),
            HttpStatusCode.Created);
        var patched = await Json(await client.PatchAsJsonAsync($"{tenant.Secrets}/api", new { expires_at = (string?)null, rotate_every = "P30D" }), HttpStatusCode.OK);
        var got = await Json(await client.GetAsync($"{tenant.Secrets}/api"), HttpStatusCode.OK);

        Assert.Equal("P90D", (string?)created["rotate_every"]);
        Assert.Equal(new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero), DateTimeOffset.Parse((string)created["expires_at"]!, CultureInfo.InvariantCulture));
        Assert.Null(patched["expires_at"]);
        Assert.Equal("P30D", (string?)got["rotate_every"]);
        Assert.Null(got["expires_at"]);
    }

    [Theory]
    [InlineData("P1M")]
    [InlineData("PT1H")]
    [InlineData("ninety days")]
    [InlineData("P4000D")]
    public async Task Create_BadRotationPeriod_Returns400AndWritesNothing(string rotateEvery)
    {
        var tenant = await hub.CreateTenantAsync();
        using var client = hub.Client(tenant.OwnerKey);

        await Problem(await client.PostAsJsonAsync(tenant.Secrets, new { name = "api", value = "v", rotate_every = rotateEvery }), HttpStatusCode.BadRequest, "invalid-rotation-period");

        Assert.Empty((await Json(await client.GetAsync(tenant.Secrets), HttpStatusCode.OK))["data"]!.AsArray());
    }

    [Fact]
    public async Task Run_AtEachThreshold_WritesExpiringOnceEach_ThenExpiredOnce()
    {
        // Arrange: a secret expiring in 40 days.
        var tenant = await hub.CreateTenantAsync();
        using var client = hub.Client(tenant.OwnerKey);
        var start = TimeProvider.System.GetUtcNow();
        await Json(await client.PostAsJsonAsync(tenant.Secrets, new { name = "expiring", value = "v", expires_at = start.AddDays(40).UtcDateTime.ToString("O", CultureInfo.InvariantCulture) }),
            HttpStatusCode.Created);
        var time = new FakeTimeProvider(start);
        var check = ActivatorUtilities.CreateInstance<SecretExpiryCheck>(hub.Services, (TimeProvider)time);

        // Act: before any threshold, then past 30, 7 and 1 days before and past the expiry, each run twice.
        await check.RunAsync();
        var before = await EventsAsync(client, tenant, "secret.expiring");
        foreach (var days in new[] { 11.0, 23, 5.5, 1 })
        {
            time.Advance(TimeSpan.FromDays(days));
            await check.RunAsync();
            await check.RunAsync();
        }

        // Assert
        Assert.Empty(before);
        var expiring = await EventsAsync(client, tenant, "secret.expiring");
        Assert.Equal(["1", "7", "30"], expiring.Select(e => (string)e["data"]!["days_before"]!));
        Assert.All(expiring, e => Assert.Equal("secret/expiring", (string?)e["subject"]));
        var expired = Assert.Single(await EventsAsync(client, tenant, "secret.expired"));
        Assert.Equal("expires_at", (string?)expired["data"]!["reason"]);
    }

    [Fact]
    public async Task Run_RotateEvery_CountsFromTheLatestVersion()
    {
        // Arrange: rotate every 10 days; the check runs 9.5 days after version 1.
        var tenant = await hub.CreateTenantAsync();
        using var client = hub.Client(tenant.OwnerKey);
        var start = TimeProvider.System.GetUtcNow();
        await Json(await client.PostAsJsonAsync(tenant.Secrets, new { name = "rotated", value = "v1", rotate_every = "P10D" }), HttpStatusCode.Created);
        var time = new FakeTimeProvider(start.AddDays(9.5));
        var check = ActivatorUtilities.CreateInstance<SecretExpiryCheck>(hub.Services, (TimeProvider)time);

        // Act: warned for version 1; a new version starts its own count; past its date, expired once.
        await check.RunAsync();
        await Json(await client.PutAsJsonAsync($"{tenant.Secrets}/rotated", new { value = "v2" }), HttpStatusCode.OK);
        await check.RunAsync();
        time.Advance(TimeSpan.FromDays(1));
        await check.RunAsync();
        await check.RunAsync();

        // Assert
        var expiring = await EventsAsync(client, tenant, "secret.expiring");
        Assert.Equal(["2", "1"], expiring.Select(e => (string)e["data"]!["version"]!));
        Assert.All(expiring, e => Assert.Equal(("1", "rotate_every"), ((string?)e["data"]!["days_before"], (string?)e["data"]!["reason"])));
        var expired = Assert.Single(await EventsAsync(client, tenant, "secret.expired"));
        Assert.Equal("2", (string?)expired["data"]!["version"]);
    }

    private static async Task<List<JsonNode>> EventsAsync(HttpClient client, Tenant tenant, string type)
    {
        var list = await Json(await client.GetAsync($"/v1/projects/{tenant.ProjectId}/activity?type={type}&per_page=100"), HttpStatusCode.OK);
        return list["data"]!.AsArray().Select(e => e!).ToList();
    }
}
