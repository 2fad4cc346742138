using System.Net;
using System.Net.Http.Json;
using Integrations.Core.OutboundWebhooks;
using Microsoft.Extensions.DependencyInjection;
using static Integrations.Api.Tests.HubFixture;
using static Integrations.Api.Tests.OutboundWebhooks.MessageHub;

namespace Integrations.Api.Tests.OutboundWebhooks;

/// <summary>
/// Every message and delivery route: another organization's key gets 404 and changes nothing (no message, no state change,
/// no ticket); a message or endpoint of another project named in this project's route is not found; a key without the
/// route's scope gets 403.
/// </summary>
public sealed class MessageAccessTests(MessageHub fixture) : IClassFixture<MessageHub>
{
    public static TheoryData<string, string, string> Routes => new()
    {
        { "POST", "/v1/projects/{p}/messages", "messages:write" },
        { "GET", "/v1/projects/{p}/messages", "webhooks:read" },
        { "GET", "/v1/projects/{p}/messages/{m}", "webhooks:read" },
        { "GET", "/v1/projects/{p}/messages/{m}/attempts", "webhooks:read" },
        { "POST", "/v1/projects/{p}/messages/{m}/replay", "messages:write" },
        { "POST", "/v1/projects/{p}/webhook-endpoints/{e}/recover", "messages:write" },
        { "GET", "/v1/projects/{p}/webhook-endpoints/{e}/attempts", "webhooks:read" },
        { "GET", "/v1/projects/{p}/webhook-endpoints/{e}/stats", "webhooks:read" },
    };

    public static TheoryData<string, string> ItemRoutes => new()
    {
        { "GET", "/v1/projects/{p}/messages/{m}" },
        { "GET", "/v1/projects/{p}/messages/{m}/attempts" },
        { "POST", "/v1/projects/{p}/messages/{m}/replay" },
        { "POST", "/v1/projects/{p}/webhook-endpoints/{e}/recover" },
        { "GET", "/v1/projects/{p}/webhook-endpoints/{e}/attempts" },
        { "GET", "/v1/projects/{p}/webhook-endpoints/{e}/stats" },
    };

    private HubFixture Hub => fixture.Hub;

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task OtherTenantsKey_Returns404AndChangesNothing(string method, string template, string scope)
    {
        _ = scope;
        var victim = await SetUpAsync("Victim");
        var attacker = await Hub.CreateTenantAsync("Attacker");
        using var attackerClient = Hub.Client(attacker.OwnerKey);

        var response = await attackerClient.SendAsync(Request(method, template, victim.Tenant.ProjectId, victim));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("secret-order", body, StringComparison.Ordinal);
        await AssertUnchangedAsync(victim);
    }

    [Theory]
    [MemberData(nameof(ItemRoutes))]
    public async Task IdOfAnotherProject_InThisProjectsRoute_Returns404AndChangesNothing(string method, string template)
    {
        var victim = await SetUpAsync("Owner");
        using var owner = Hub.Client(victim.Tenant.OwnerKey);
        var otherProject = (string)(await Json(await owner.PostAsJsonAsync("/v1/projects", new { name = "other-" + Integrations.Testing.TestRandom.Hex(4) }),
            HttpStatusCode.Created))["id"]!;

        var response = await owner.SendAsync(Request(method, template, otherProject, victim));

        await Problem(response, HttpStatusCode.NotFound, "not-found");
        await AssertUnchangedAsync(victim);
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task KeyWithoutTheScope_Returns403AndChangesNothing(string method, string template, string scope)
    {
        var victim = await SetUpAsync("Guarded");
        using var owner = Hub.Client(victim.Tenant.OwnerKey);
        // Every scope near the route's: webhooks:write does not send messages, messages:write does not read them.
        var others = scope == "webhooks:read" ? new[] { "messages:write", "webhooks:write", "secrets:read" } : ["webhooks:read", "webhooks:write", "sends:write"];
        var key = await Json(await owner.PostAsJsonAsync($"/v1/orgs/{victim.Tenant.OrganizationId}/api-keys", new { name = "limited", scopes = others }),
            HttpStatusCode.Created);
        using var limited = Hub.Client((string)key["key"]!);

        var response = await limited.SendAsync(Request(method, template, victim.Tenant.ProjectId, victim));

        await Problem(response, HttpStatusCode.Forbidden, "missing-scope");
        await AssertUnchangedAsync(victim);
    }

    /// <summary>A tenant with an endpoint and one message whose delivery to it failed (so replay and recover would change it).</summary>
    private async Task<Victim> SetUpAsync(string name)
    {
        var tenant = await Hub.CreateTenantAsync(name);
        using var owner = Hub.Client(tenant.OwnerKey);
        var endpoint = await fixture.CreateEndpointAsync(tenant, []);
        var message = (await SendAsync(owner, tenant, "order.created", new { note = "secret-order" })).GetProperty("id").GetString()!;
        var deliveries = Hub.Services.GetRequiredService<IWebhookDeliveryStore>();
        var delivery = (await deliveries.GetAsync(tenant.OrganizationId, tenant.ProjectId, message, endpoint))!;
        var at = TimeProvider.System.GetUtcNow();
        await deliveries.RecordAttemptAsync(delivery with { State = DeliveryState.Failed, Attempts = 1, LastAttemptAt = at, LastStatusCode = 500, FailureReason = "exhausted", ETag = null },
            new DeliveryAttempt(message, endpoint, 1, at, 500, TimeSpan.FromMilliseconds(5), "no", null));
        var victim = new Victim(tenant, endpoint, message);
        victim.TicketsBefore = (await fixture.TicketsAsync(message)).Count;
        return victim;
    }

    private async Task AssertUnchangedAsync(Victim victim)
    {
        var (tenant, endpoint, message) = (victim.Tenant, victim.EndpointId, victim.MessageId);
        using var owner = Hub.Client(tenant.OwnerKey);
        var list = await Json(await owner.GetAsync(Messages(tenant)), HttpStatusCode.OK);
        var delivery = await Hub.Services.GetRequiredService<IWebhookDeliveryStore>().GetAsync(tenant.OrganizationId, tenant.ProjectId, message, endpoint);
        Assert.Equal(1, (int)list["pagination"]!["total"]!);
        Assert.Equal((DeliveryState.Failed, 1), (delivery!.State, delivery.Attempts));
        Assert.Equal(victim.TicketsBefore, (await fixture.TicketsAsync(message)).Count);
    }

    private static HttpRequestMessage Request(string method, string template, string projectId, Victim victim)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), template.Replace("{p}", projectId, StringComparison.Ordinal)
            .Replace("{m}", victim.MessageId, StringComparison.Ordinal).Replace("{e}", victim.EndpointId, StringComparison.Ordinal));
        if (method == "POST")
        {
            request.Content = template.EndsWith("/messages", StringComparison.Ordinal) ? JsonContent.Create(new { event_type = "order.created", payload = new { planted = true } })
                : template.EndsWith("/recover", StringComparison.Ordinal) ? JsonContent.Create(new { since = TimeProvider.System.GetUtcNow().AddDays(-1) })
                : JsonContent.Create(new { endpoint_id = victim.EndpointId });
        }

        return request;
    }

    private sealed record Victim(Tenant Tenant, string EndpointId, string MessageId)
    {
        public int TicketsBefore { get; set; }
    }
}
