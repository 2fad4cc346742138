using Integrations.Api.Pipeline;
using Integrations.Api.Routing;
using Integrations.Core.Audit;
using Integrations.Core.Common;
using Integrations.Core.Identity;
using Integrations.Core.OutboundWebhooks;
using Microsoft.AspNetCore.Http;

namespace Integrations.Api.OutboundWebhooks;

/// <summary>The outbound webhook endpoint routes: entries of the route table (<see cref="ApiRoutes"/>).</summary>
public static class WebhookEndpointRoutes
{
    /// <summary>The path parameter naming an endpoint (its id, <c>wep_…</c>).</summary>
    public const string IdParameter = "endpointId";

    public const string Collection = "v1/projects/{projectId}/webhook-endpoints";

    public const string Item = Collection + "/{" + IdParameter + "}";

    public static ApiRoute Create { get; } = Route("CreateWebhookEndpoint", "POST", Collection,
        "Register an endpoint for outbound webhooks: url, event_types (exact names and prefix.*), headers, rate limit, timeout, retry. The hub generates its signing secret (reveal it with …/secret/reveal).",
        Scopes.WebhooksWrite, AuditActions.WebhookEndpointCreate, true, (e, r, ct) => e.CreateAsync(r, ct), named: false) with { NamesItsTarget = true };

    public static ApiRoute List { get; } = Route("ListWebhookEndpoints", "GET", Collection, "List the project's webhook endpoints.",
        Scopes.WebhooksRead, AuditActions.WebhookEndpointList, false, (e, r, ct) => e.ListAsync(r, ct), named: false);

    public static ApiRoute Get { get; } = Route("GetWebhookEndpoint", "GET", Item, "A webhook endpoint: url, filter, settings, keys (never a secret value).",
        Scopes.WebhooksRead, AuditActions.WebhookEndpointRead, false, (e, r, ct) => e.GetAsync(r, ct));

    public static ApiRoute Patch { get; } = Route("PatchWebhookEndpoint", "PATCH", Item,
        "Change a webhook endpoint (JSON merge patch, validated whole); enabled: false stops new deliveries, true re-enables one the hub disabled.",
        Scopes.WebhooksWrite, AuditActions.WebhookEndpointPatch, true, (e, r, ct) => e.PatchAsync(r, ct));

    public static ApiRoute Delete { get; } = Route("DeleteWebhookEndpoint", "DELETE", Item, "Delete a webhook endpoint and its signing secrets.",
        Scopes.WebhooksWrite, AuditActions.WebhookEndpointDelete, true, (e, r, ct) => e.DeleteAsync(r, ct));

    public static ApiRoute RotateSecret { get; } = Route("RotateWebhookEndpointSecret", "POST", Item + "/secret/rotate",
        "Rotate the signing secret: a new one signs from now on, the previous one keeps signing for Webhooks:SecretRotationOverlap (24 h).",
        Scopes.WebhooksWrite, AuditActions.WebhookEndpointSecretRotate, true, (e, r, ct) => e.RotateSecretAsync(r, ct));

    public static ApiRoute RevealSecret { get; } = new("RevealWebhookEndpointSecret", "POST", Item + "/secret/reveal",
        "Reveal the signing secrets that sign now (newest first), each with its not_after. Needs webhooks:read and secrets:reveal; audited.",
        RouteAccess.Project(Scopes.WebhooksRead, Scopes.SecretsReveal), AuditActions.WebhookEndpointSecretReveal, false, RateLimitPolicies.Standard,
        RouteHandlers.Of<WebhookEndpointEndpoints>((e, r, ct) => e.RevealSecretAsync(r, ct)))
    {
        AuditTarget = static values => Target(values[IdParameter]),
    };

    public static IReadOnlyList<ApiRoute> All { get; } = [Create, List, Get, Patch, Delete, RotateSecret, RevealSecret];

    /// <summary>The audit target of an endpoint; an ill-formed id is not echoed into the log.</summary>
    public static string Target(string? endpointId) => "webhook-endpoint/" + (Ids.IsValid(WebhookEndpoint.IdPrefix, endpointId) ? endpointId : "(invalid id)");

    private static ApiRoute Route(
        string name, string method, string template, string summary, string scope, string action, bool changes,
        Func<WebhookEndpointEndpoints, HubRequest, CancellationToken, Task<IResult>> handler, bool named = true) =>
        new(name, method, template, summary, RouteAccess.Project(scope), action, changes, RateLimitPolicies.Standard, RouteHandlers.Of(handler))
        {
            AuditTarget = named ? static values => Target(values[IdParameter]) : static _ => null,
        };
}
