using System.Net;
using Integrations.Core.Connections;
using Integrations.Core.Events;
using Microsoft.Extensions.DependencyInjection;
using static Integrations.Api.Tests.Connections.ConnectionsApiTests;
using static Integrations.Api.Tests.HubFixture;

namespace Integrations.Api.Tests.Activity;

public sealed class ActivityApiTests(HubFixture hub) : IClassFixture<HubFixture>
{
    [Fact]
    public async Task Activity_AfterStateChanges_ListsTheirEventsNewestFirst_ByTypeAndSince()
    {
        var tenant = await hub.CreateTenantAsync();
        using var client = hub.Client(tenant.OwnerKey);
        await SecretsAsync(client, tenant);
        var id = (string)(await CreateApiKeyConnectionAsync(client, tenant, "watched"))["id"]!;
        var states = hub.Services.GetRequiredService<ConnectionStateChanges>();
        await states.ChangeStatusAsync(tenant.OrganizationId, tenant.ProjectId, id, ConnectionStatus.RefreshFailing, "upstream 503", ChangeActor.Job("Test"));
        await states.ChangeStatusAsync(tenant.OrganizationId, tenant.ProjectId, id, ConnectionStatus.NeedsReauth, "invalid_grant", ChangeActor.Job("Test"));
        var activity = $"/v1/projects/{tenant.ProjectId}/activity";

        var all = await Json(await client.GetAsync(activity), HttpStatusCode.OK);
        var failed = await Json(await client.GetAsync($"{activity}?type=connection.refresh_failed"), HttpStatusCode.OK);
        var since = Uri.EscapeDataString((string)failed["data"]![0]!["occurred_at"]!);
        var recent = await Json(await client.GetAsync($"{activity}?since={since}"), HttpStatusCode.OK);
        var paged = await Json(await client.GetAsync($"{activity}?per_page=1&page=2"), HttpStatusCode.OK);

        Assert.Equal(["connection.needs_reauth", "connection.refresh_failed", "connection.created"], all["data"]!.AsArray().Select(e => (string)e!["type"]!));
        var reauth = all["data"]![0]!;
        Assert.Equal(($"connection/{id}", id, "needs_reauth", "refresh_failing", "invalid_grant"), ((string?)reauth["subject"], (string?)reauth["data"]!["connection_id"],
            (string?)reauth["data"]!["status"], (string?)reauth["data"]!["previous_status"], (string?)reauth["data"]!["reason"]));
        Assert.StartsWith("evt_", (string?)reauth["id"], StringComparison.Ordinal);
        Assert.Equal("upstream 503", (string?)Assert.Single(failed["data"]!.AsArray())!["data"]!["reason"]);
        Assert.Equal(["connection.needs_reauth", "connection.refresh_failed"], recent["data"]!.AsArray().Select(e => (string)e!["type"]!));
        Assert.Equal((3, "connection.refresh_failed"), ((int)paged["pagination"]!["total"]!, (string?)Assert.Single(paged["data"]!.AsArray())!["type"]));
    }

    [Fact]
    public async Task Activity_InvalidQuery_Returns400NamingTheParameter()
    {
        var tenant = await hub.CreateTenantAsync();
        using var client = hub.Client(tenant.OwnerKey);
        var activity = $"/v1/projects/{tenant.ProjectId}/activity";

        var type = await Problem(await client.GetAsync($"{activity}?type=connection.nonsense"), HttpStatusCode.BadRequest, "invalid-query");
        var since = await Problem(await client.GetAsync($"{activity}?since=yesterday"), HttpStatusCode.BadRequest, "invalid-query");
        var page = await Problem(await client.GetAsync($"{activity}?per_page=101"), HttpStatusCode.BadRequest, "invalid-page");

        Assert.Equal(("type", "since", "per_page"), ((string?)type["field"], (string?)since["field"], (string?)page["field"]));
    }

    [Fact]
    public async Task Outbox_AppendingTheSameEventTwice_StoresItOnce_AndOnlyInItsProject()
    {
        var tenant = await hub.CreateTenantAsync();
        var other = await hub.CreateTenantAsync();
        var writer = hub.Services.GetRequiredService<EventWriter>();
        var outbox = hub.Services.GetRequiredService<IEventOutbox>();
        var hubEvent = writer.Create(tenant.OrganizationId, tenant.ProjectId, HubEventTypes.SecretExpiring, "secret/db-password",
            new Dictionary<string, string> { ["days_left"] = "7" });

        await writer.AppendAsync(hubEvent);
        await writer.AppendAsync(hubEvent);
        await writer.AppendAsync(hubEvent with { OccurredAt = hubEvent.OccurredAt.AddSeconds(5) });

        var listed = await outbox.ListAsync(tenant.OrganizationId, tenant.ProjectId, new ActivityQuery(new(1, 100)));
        var elsewhere = await outbox.ListAsync(other.OrganizationId, other.ProjectId, new ActivityQuery(new(1, 100)));
        Assert.Equal(hubEvent.Id, Assert.Single(listed.Items).Id);
        Assert.Equal("7", listed.Items[0].Data["days_left"]);
        Assert.Empty(elsewhere.Items);
    }
}
