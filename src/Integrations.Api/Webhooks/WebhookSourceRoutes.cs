using Integrations.Api.Pipeline;
using Integrations.Api.Routing;
using Integrations.Core.Audit;
using Integrations.Core.Common;
using Integrations.Core.Identity;
using Integrations.Core.Webhooks;
using Microsoft.AspNetCore.Http;

namespace Integrations.Api.Webhooks;

/// <summary>The webhook-source routes: entries of the route table (<see cref="ApiRoutes"/>).</summary>
public static class WebhookSourceRoutes
{
    /// <summary>The path parameter naming a source (its id, <c>whs_…</c>).</summary>
    public const string IdParameter = "sourceId";

    public const string Collection = "v1/projects/{projectId}/webhook-sources";

    public const string Item = Collection + "/{" + IdParameter + "}";

    public static ApiRoute Create { get; } = Route("CreateWebhookSource", "POST", Collection,
        "Create a webhook source: name, scheme, settings, and its signing secret (or generate_secret for standard and hmac; asana's comes from its handshake). The answer has the public url.",
        Scopes.WebhooksWrite, AuditActions.WebhookSourceCreate, true, (e, r, ct) => e.CreateAsync(r, ct), named: false) with { NamesItsTarget = true };

    public static ApiRoute List { get; } = Route("ListWebhookSources", "GET", Collection, "List the project's webhook sources.",
        Scopes.WebhooksRead, AuditActions.WebhookSourceList, false, (e, r, ct) => e.ListAsync(r, ct), named: false);

    public static ApiRoute Get { get; } = Route("GetWebhookSource", "GET", Item, "A webhook source: url, scheme, settings, keys (never a secret value).",
        Scopes.WebhooksRead, AuditActions.WebhookSourceRead, false, (e, r, ct) => e.GetAsync(r, ct));

    public static ApiRoute Patch { get; } = Route("PatchWebhookSource", "PATCH", Item,
        "Change a webhook source's name, description, enabled or settings (JSON merge patch, validated whole).", Scopes.WebhooksWrite,
        AuditActions.WebhookSourcePatch, true, (e, r, ct) => e.PatchAsync(r, ct));

    public static ApiRoute Delete { get; } = Route("DeleteWebhookSource", "DELETE", Item,
        "Delete a webhook source and its signing secrets; deliveries to its url are refused from then on.", Scopes.WebhooksWrite,
        AuditActions.WebhookSourceDelete, true, (e, r, ct) => e.DeleteAsync(r, ct));

    public static ApiRoute AddSecret { get; } = Route("AddWebhookSourceSecret", "POST", Item + "/secrets",
        "Add a signing secret (sent or generated); the previous ones stay accepted for expire_previous_in_seconds (default 24 h).", Scopes.WebhooksWrite,
        AuditActions.WebhookSourceSecretAdd, true, (e, r, ct) => e.AddSecretAsync(r, ct));

    public static ApiRoute Stats { get; } = Route("GetWebhookSourceStats", "GET", Item + "/stats",
        "Deliveries by outcome since ?since= (default 24 h ago, at most 7 days): accepted, duplicate, bad_signature, stale, oversized, malformed, last_accepted_at.",
        Scopes.WebhooksRead, AuditActions.WebhookSourceStats, false, (e, r, ct) => e.GetStatsAsync(r, ct));

    public static IReadOnlyList<ApiRoute> All { get; } = [Create, List, Get, Patch, Delete, AddSecret, Stats];

    /// <summary>The audit target of a source; an ill-formed id is not echoed into the log.</summary>
    public static string Target(string? sourceId) => "webhook-source/" + (Ids.IsValid(WebhookSource.IdPrefix, sourceId) ? sourceId : "(invalid id)");

    /// <summary>The attempt target of a create, before the source has an id.</summary>
    public static string NameTarget(string? name) => "webhook-source-name/" + (WebhookSourceRules.IsValidName(name) ? name : "(invalid name)");

    private static ApiRoute Route(
        string name, string method, string template, string summary, string scope, string action, bool changes,
        Func<WebhookSourceEndpoints, HubRequest, CancellationToken, Task<IResult>> handler, bool named = true) =>
        new(name, method, template, summary, RouteAccess.Project(scope), action, changes, RateLimitPolicies.Standard, RouteHandlers.Of(handler))
        {
            AuditTarget = named ? static values => Target(values[IdParameter]) : static _ => null,
        };
}
