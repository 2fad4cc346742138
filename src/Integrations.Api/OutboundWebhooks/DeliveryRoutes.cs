using Integrations.Api.Pipeline;
using Integrations.Api.Routing;
using Integrations.Core.Audit;
using Integrations.Core.Common;
using Integrations.Core.Identity;
using Integrations.Core.OutboundWebhooks;
using Microsoft.AspNetCore.Http;

namespace Integrations.Api.OutboundWebhooks;

/// <summary>An endpoint's deliveries — recover, attempts, stats: entries of the route table (<see cref="ApiRoutes"/>).</summary>
public static class DeliveryRoutes
{
    /// <summary>The path parameter naming an endpoint (its id, <c>wep_…</c>).</summary>
    public const string IdParameter = "endpointId";

    public const string Item = "v1/projects/{projectId}/webhook-endpoints/{" + IdParameter + "}";

    public static ApiRoute Recover { get; } = Route("RecoverWebhookEndpoint", "POST", Item + "/recover",
        "Deliver again every failed delivery of the endpoint created since {since} (at most 1000 per call; more: true when there were more). 202 with the count.",
        Scopes.MessagesWrite, AuditActions.WebhookEndpointRecover, true, (e, r, ct) => e.RecoverAsync(r, ct));

    public static ApiRoute Attempts { get; } = Route("ListWebhookEndpointAttempts", "GET", Item + "/attempts",
        "The endpoint's delivery attempts since ?since= (default 24 h ago), newest first: message, time, status code, duration, the first 4 KiB of the response.",
        Scopes.WebhooksRead, AuditActions.WebhookEndpointAttempts, false, (e, r, ct) => e.ListAttemptsAsync(r, ct));

    public static ApiRoute Stats { get; } = Route("GetWebhookEndpointStats", "GET", Item + "/stats",
        "The endpoint's attempt outcomes since ?since= (default 24 h ago, at most 7 days): delivered, retrying, failed, last_delivered_at.",
        Scopes.WebhooksRead, AuditActions.WebhookEndpointStats, false, (e, r, ct) => e.GetStatsAsync(r, ct));

    public static IReadOnlyList<ApiRoute> All { get; } = [Recover, Attempts, Stats];

    /// <summary>The audit target of an endpoint; an ill-formed id is not echoed into the log.</summary>
    public static string Target(string? endpointId) => "webhook-endpoint/" + (Ids.IsValid(WebhookEndpoint.IdPrefix, endpointId) ? endpointId : "(invalid id)");

    private static ApiRoute Route(
        string name, string method, string template, string summary, string scope, string action, bool changes,
        Func<DeliveryEndpoints, HubRequest, CancellationToken, Task<IResult>> handler) =>
        new(name, method, template, summary, RouteAccess.Project(scope), action, changes, RateLimitPolicies.Standard, RouteHandlers.Of(handler))
        {
            AuditTarget = static values => Target(values[IdParameter]),
        };
}
