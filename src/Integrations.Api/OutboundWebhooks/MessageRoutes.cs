using Integrations.Api.Pipeline;
using Integrations.Api.Routing;
using Integrations.Core.Audit;
using Integrations.Core.Common;
using Integrations.Core.Identity;
using Integrations.Core.OutboundWebhooks;
using Microsoft.AspNetCore.Http;

namespace Integrations.Api.OutboundWebhooks;

/// <summary>The outbound message routes: entries of the route table (<see cref="ApiRoutes"/>).</summary>
public static class MessageRoutes
{
    /// <summary>The path parameter naming a message (its id, <c>msg_…</c>).</summary>
    public const string IdParameter = "messageId";

    public const string Collection = "v1/projects/{projectId}/messages";

    public const string Item = Collection + "/{" + IdParameter + "}";

    public static ApiRoute Send { get; } = Route("SendMessage", "POST", Collection,
        "Send a message {event_type, payload, idempotency_key?}: stored, and one delivery queued per enabled endpoint whose filter matches. 202 with its id; the same idempotency_key within 24 h answers the first message (duplicate: true).",
        Scopes.MessagesWrite, AuditActions.MessageSend, true, (e, r, ct) => e.SendAsync(r, ct), named: false) with { StoresItsActor = true };

    public static ApiRoute List { get; } = Route("ListMessages", "GET", Collection,
        "The project's messages, newest first (no payloads); filter by event_type and since.",
        Scopes.WebhooksRead, AuditActions.MessageList, false, (e, r, ct) => e.ListAsync(r, ct), named: false);

    public static ApiRoute Get { get; } = Route("GetMessage", "GET", Item,
        "One message with its payload and the state of its delivery to each endpoint.",
        Scopes.WebhooksRead, AuditActions.MessageRead, false, (e, r, ct) => e.GetAsync(r, ct));

    public static ApiRoute Attempts { get; } = Route("ListMessageAttempts", "GET", Item + "/attempts",
        "Every delivery attempt of a message, oldest first: endpoint, time, status code, duration, the first 4 KiB of the response.",
        Scopes.WebhooksRead, AuditActions.MessageAttempts, false, (e, r, ct) => e.ListAttemptsAsync(r, ct));

    public static ApiRoute Replay { get; } = Route("ReplayMessage", "POST", Item + "/replay",
        "Deliver a message again {endpoint_id?}: each delivery (or the one) back to pending with a new attempt; an endpoint that subscribes now and had none gets one.",
        Scopes.MessagesWrite, AuditActions.MessageReplay, true, (e, r, ct) => e.ReplayAsync(r, ct));

    public static IReadOnlyList<ApiRoute> All { get; } = [Send, List, Get, Attempts, Replay];

    /// <summary>The audit target of a message; an ill-formed id is not echoed into the log.</summary>
    public static string Target(string? messageId) => "message/" + (Ids.IsValid(OutboundMessage.IdPrefix, messageId) ? messageId : "(invalid id)");

    private static ApiRoute Route(
        string name, string method, string template, string summary, string scope, string action, bool changes,
        Func<MessageEndpoints, HubRequest, CancellationToken, Task<IResult>> handler, bool named = true) =>
        new(name, method, template, summary, RouteAccess.Project(scope), action, changes, RateLimitPolicies.Standard, RouteHandlers.Of(handler))
        {
            AuditTarget = named ? static values => Target(values[IdParameter]) : static _ => null,
        };
}
