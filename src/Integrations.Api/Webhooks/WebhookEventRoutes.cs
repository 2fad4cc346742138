using Integrations.Api.Pipeline;
using Integrations.Api.Routing;
using Integrations.Core.Audit;
using Integrations.Core.Identity;
using Integrations.Core.Webhooks;
using Microsoft.AspNetCore.Http;

namespace Integrations.Api.Webhooks;

/// <summary>The events API over stored webhook events: entries of the route table (<see cref="ApiRoutes"/>).</summary>
public static class WebhookEventRoutes
{
    public const string IdParameter = "eventId";

    public const string Collection = "v1/projects/{projectId}/events";

    public const string Item = Collection + "/{" + IdParameter + "}";

    public static ApiRoute List { get; } = Route("ListWebhookEvents", "GET", Collection,
        "The project's received webhook events, newest first; filter by source, type and since (metadata only).",
        Scopes.WebhooksRead, AuditActions.WebhookEventList, false, (e, r, ct) => e.ListAsync(r, ct), named: false);

    public static ApiRoute Get { get; } = Route("GetWebhookEvent", "GET", Item,
        "One received webhook event with its raw body (body_base64, and body when it is UTF-8 text) and the headers kept with it.",
        Scopes.WebhooksRead, AuditActions.WebhookEventRead, false, (e, r, ct) => e.GetAsync(r, ct));

    public static ApiRoute Replay { get; } = Route("ReplayWebhookEvent", "POST", Item + "/replay",
        "Put a received webhook event back on the project's queue (a new message with the same event_id) and run the hub's own handlers on it again.",
        Scopes.WebhooksWrite, AuditActions.WebhookEventReplay, true, (e, r, ct) => e.ReplayAsync(r, ct));

    public static IReadOnlyList<ApiRoute> All { get; } = [List, Get, Replay];

    /// <summary>The audit target of an event; an ill-formed id is not echoed into the log.</summary>
    public static string Target(string? eventId) => "webhook-event/" + (Core.Common.Ids.IsValid(WebhookEvent.IdPrefix, eventId) ? eventId : "(invalid id)");

    private static ApiRoute Route(
        string name, string method, string template, string summary, string scope, string action, bool changes,
        Func<WebhookEventEndpoints, HubRequest, CancellationToken, Task<IResult>> handler, bool named = true) =>
        new(name, method, template, summary, RouteAccess.Project(scope), action, changes, RateLimitPolicies.Standard, RouteHandlers.Of(handler))
        {
            AuditTarget = named ? static values => Target(values[IdParameter]) : static _ => null,
        };
}
