using System.Net;
using Integrations.Core.Counters;
using Integrations.Core.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using static Integrations.Api.Tests.HubFixture;
using static Integrations.Api.Tests.Webhooks.WebhookHubFixture;

namespace Integrations.Api.Tests.Webhooks;

/// <summary>The stats route over the counters the Server composes (the durable ones): what an instance records, its stats read back.</summary>
public sealed class WebhookStatsCountersTests : IAsyncLifetime, IDisposable
{
    private readonly HubFixture _hub = new();

    public Task InitializeAsync() => _hub.InitializeAsync();

    public Task DisposeAsync() => _hub.DisposeAsync();

    public void Dispose() => _hub.Dispose();

    [Fact]
    public async Task Stats_ReadTheComposedCounters_ForThisSourceOnly()
    {
        var tenant = await _hub.CreateTenantAsync();
        using var client = _hub.Client(tenant.OwnerKey);
        var id = (string)(await CreateStandardAsync(client, tenant))["id"]!;
        var other = (string)(await CreateStandardAsync(client, tenant, "other"))["id"]!;
        var counters = _hub.Services.GetRequiredService<IHubCounters>();
        var key = new CounterKey(tenant.OrganizationId, tenant.ProjectId, id);
        counters.Increment(key, WebhookCounters.Accepted, 5);
        counters.Increment(key, WebhookCounters.BadSignature, 2);
        counters.Increment(key with { Subject = other }, WebhookCounters.Accepted, 50);

        var stats = await Json(await client.GetAsync($"{Path(tenant)}/{id}/stats"), HttpStatusCode.OK);

        Assert.Equal((5, 2, 0), ((int)stats["accepted"]!, (int)stats["bad_signature"]!, (int)stats["duplicate"]!));
    }
}
