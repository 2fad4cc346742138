using Integrations.Api.Pipeline;
using Integrations.Api.Routing;
using Integrations.Core.Audit;
using Integrations.Core.Common;
using Integrations.Core.Identity;
using Integrations.Core.OAuth;
using Microsoft.AspNetCore.Http;

namespace Integrations.Api.Providers;

/// <summary>The provider routes: entries of the route table (<see cref="ApiRoutes"/>).</summary>
public static class ProviderRoutes
{
    public const string ProviderIdParameter = "providerId";
    public const string TemplateIdParameter = "templateId";

    private const string Templates = "v1/provider-templates";
    private const string Collection = "v1/projects/{projectId}/providers";
    private const string Item = Collection + "/{" + ProviderIdParameter + "}";

    // The catalog is the same for every tenant and holds nothing secret, but the hub has no anonymous data routes:
    // any organization API key may read it (no scope: reading it grants nothing), and the read is audited like any
    // other authenticated call. The platform admin key is refused, as it is for every organization route.
    public static ApiRoute ListTemplates { get; } = new("ListProviderTemplates", "GET", Templates,
        "The built-in provider catalog: endpoints, scopes, PKCE and quirks of each template.", RouteAccess.Organization(), AuditActions.ProviderTemplateRead, false,
        RateLimitPolicies.Standard, static (r, ct) => ProviderEndpoints.ListTemplatesAsync(r, ct));

    public static ApiRoute GetTemplate { get; } = new("GetProviderTemplate", "GET", Templates + "/{" + TemplateIdParameter + "}",
        "One template of the provider catalog.", RouteAccess.Organization(), AuditActions.ProviderTemplateRead, false, RateLimitPolicies.Standard,
        static (r, ct) => ProviderEndpoints.GetTemplateAsync(r, ct))
    {
        AuditTarget = static values => "provider-template/" + (ProviderTemplates.Find(values[TemplateIdParameter]) is { } t ? t.Id : "(unknown)"),
    };

    public static ApiRoute Create { get; } = Route("CreateProvider", "POST", Collection,
        "Register an OAuth provider: from a template (client id and secret only), from an issuer (discovery) or with endpoints. A client_secret is stored in the vault.",
        Scopes.ProvidersWrite, AuditActions.ProviderCreate, true, (e, r, ct) => e.CreateAsync(r, ct), item: false) with { NamesItsTarget = true };

    public static ApiRoute List { get; } = Route("ListProviders", "GET", Collection, "List the project's OAuth providers.", Scopes.ProvidersRead,
        AuditActions.ProviderList, false, (e, r, ct) => e.ListAsync(r, ct), item: false);

    public static ApiRoute Get { get; } = Route("GetProvider", "GET", Item, "An OAuth provider (its client secret only by vault name).", Scopes.ProvidersRead,
        AuditActions.ProviderRead, false, (e, r, ct) => e.GetAsync(r, ct));

    public static ApiRoute Patch { get; } = Route("PatchProvider", "PATCH", Item,
        "Change an OAuth provider: members sent are changed, others stay. A new client_secret becomes a new version of its vault secret.", Scopes.ProvidersWrite,
        AuditActions.ProviderPatch, true, (e, r, ct) => e.PatchAsync(r, ct));

    public static ApiRoute Delete { get; } = Route("DeleteProvider", "DELETE", Item, "Delete an OAuth provider no connection uses.", Scopes.ProvidersWrite,
        AuditActions.ProviderDelete, true, (e, r, ct) => e.DeleteAsync(r, ct));

    public static IReadOnlyList<ApiRoute> All { get; } = [ListTemplates, GetTemplate, Create, List, Get, Patch, Delete];

    /// <summary>The audit target of a provider being created: its name when valid (the id is drawn later), never the raw input otherwise.</summary>
    public static string TargetByName(string? name) => "provider-name/" + (ProviderRules.IsValidName(name) ? name : "(invalid name)");

    public static string Target(string? providerId) => "provider/" + (Ids.IsValid("prv", providerId) ? providerId : "(invalid id)");

    private static ApiRoute Route(
        string name, string method, string template, string summary, string scope, string action, bool changes,
        Func<ProviderEndpoints, HubRequest, CancellationToken, Task<IResult>> handler, bool item = true) =>
        new(name, method, template, summary, RouteAccess.Project(scope), action, changes, RateLimitPolicies.Standard, RouteHandlers.Of(handler))
        {
            AuditTarget = item ? static values => Target(values[ProviderIdParameter]) : static _ => null,
        };
}
