using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Integrations.Core.Connections;
using Integrations.Core.OAuth;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static Integrations.Api.Tests.HubFixture;

namespace Integrations.Api.Tests.Maintenance;

/// <summary>The provider client-secret expiry check through the real Server's stores, with time driven by a FakeTimeProvider.</summary>
public sealed class ClientSecretExpiryTests
{
    [Fact]
    public async Task Run_AtEachThreshold_WarnsOnceEach_ThenExpiresTheProvidersConnections()
    {
        // Arrange: a provider whose client secret expires in 45 days; an active, a pending and a disabled connection of it.
        await using var m = await MaintenanceHub.StartAsync();
        var start = TimeProvider.System.GetUtcNow();
        var expiresAt = start.AddDays(45);
        var provider = await m.CreateProviderAsync(extra: new { client_secret_expires_at = expiresAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture) });
        var active = await m.ConnectAsync(provider, "active");
        using var client = m.Hub.Client(m.Tenant.OwnerKey);
        var connections = $"/v1/projects/{m.Tenant.ProjectId}/connections";
        var pending = (string)(await Json(await client.PostAsJsonAsync(connections, new { name = "pending", type = "oauth2_client_credentials", provider_id = provider }), HttpStatusCode.Created))["id"]!;
        var disabled = (string)(await Json(await client.PostAsJsonAsync(connections, new { name = "off", type = "oauth2_client_credentials", provider_id = provider }), HttpStatusCode.Created))["id"]!;
        await Json(await client.PatchAsJsonAsync($"{connections}/{disabled}", new { enabled = false }), HttpStatusCode.OK);
        var time = new FakeTimeProvider(start);
        var check = ActivatorUtilities.CreateInstance<ClientSecretExpiryCheck>(m.Services, (TimeProvider)time);

        // Act: 45 days out, then past 30, 7 and 1 days before (each run twice), then past the expiry (twice).
        var runs = new List<ClientSecretExpiryCheck.Outcome> { await check.RunAsync() };
        foreach (var days in new[] { 16.0, 23, 5.5, 1 })
        {
            time.Advance(TimeSpan.FromDays(days));
            runs.Add(await check.RunAsync());
            runs.Add(await check.RunAsync());
        }

        // Assert
        var warnings = await EventsAsync(client, m, "provider.client_secret_expiring");
        Assert.Equal(["1", "7", "30"], warnings.Select(e => (string)e["data"]!["days_before"]!));
        Assert.All(warnings, e => Assert.Equal("provider/" + provider, (string?)e["subject"]));
        Assert.Equal(0, runs[0].Warned);
        Assert.Equal(2, runs[^2].ConnectionsExpired);
        Assert.Equal(0, runs[^1].ConnectionsExpired);
        Assert.Equal(ConnectionStatus.ClientSecretExpired, (await m.GetAsync(active.Id)).State.Status);
        Assert.Equal(ConnectionStatus.ClientSecretExpired, (await m.GetAsync(pending)).State.Status);
        Assert.Equal(ConnectionStatus.Disabled, (await m.GetAsync(disabled)).State.Status);
        var expired = await EventsAsync(client, m, "connection.client_secret_expired");
        Assert.Equal(2, expired.Count);
        var status = await Json(await client.GetAsync($"{connections}/{active.Id}/status"), HttpStatusCode.OK);
        Assert.Contains("client secret", (string?)status["status_reason"] ?? (string?)status["reason"] ?? status.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_ProviderWithoutExpiryOrFarAway_DoesNothing()
    {
        await using var m = await MaintenanceHub.StartAsync();
        await m.CreateProviderAsync("no-expiry");
        await m.CreateProviderAsync("far", new { client_secret_expires_at = TimeProvider.System.GetUtcNow().AddDays(90).UtcDateTime.ToString("O", CultureInfo.InvariantCulture) });
        using var client = m.Hub.Client(m.Tenant.OwnerKey);

        var outcome = await m.Services.GetRequiredService<ClientSecretExpiryCheck>().RunAsync();

        Assert.Equal(new ClientSecretExpiryCheck.Outcome(0, 0), outcome);
        Assert.Empty(await EventsAsync(client, m, "provider.client_secret_expiring"));
    }

    private static async Task<List<JsonNode>> EventsAsync(HttpClient client, MaintenanceHub m, string type)
    {
        var list = await Json(await client.GetAsync($"/v1/projects/{m.Tenant.ProjectId}/activity?type={type}&per_page=100"), HttpStatusCode.OK);
        return list["data"]!.AsArray().Select(e => e!).ToList();
    }
}
