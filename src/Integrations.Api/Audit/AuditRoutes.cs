using Integrations.Api.Routing;
using Integrations.Core.Audit;
using Integrations.Core.Identity;

namespace Integrations.Api.Audit;

/// <summary>The audit routes: entries of the route table (<see cref="ApiRoutes"/>).</summary>
public static class AuditRoutes
{
    public static ApiRoute Query { get; } = new("QueryAudit", "GET", "v1/projects/{projectId}/audit",
        "A project's audit log, newest first (from, to — default the last 7 days, at most 31 apart — page, per_page).",
        RouteAccess.Project(Scopes.Admin), AuditActions.AuditRead, false, RateLimitPolicies.Standard,
        RouteHandlers.Of<AuditEndpoints>((e, r, ct) => e.QueryProjectAsync(r, ct)));

    public static ApiRoute QueryOrganization { get; } = new("QueryOrganizationAudit", "GET", "v1/orgs/{orgId}/audit",
        "An organization's own audit log (API keys, projects, requests refused before a project was verified), newest first; same query as a project's.",
        RouteAccess.Organization(Scopes.Admin), AuditActions.AuditRead, false, RateLimitPolicies.Standard,
        RouteHandlers.Of<AuditEndpoints>((e, r, ct) => e.QueryOrganizationAsync(r, ct)));

    public static ApiRoute GetRetention { get; } = new("GetAuditRetention", "GET", "v1/orgs/{orgId}/audit/retention",
        "How long the organization's audit records are kept, and the platform's bounds.",
        RouteAccess.Organization(Scopes.Admin), AuditActions.AuditRetentionRead, false, RateLimitPolicies.Standard,
        RouteHandlers.Of<AuditEndpoints>((e, r, ct) => e.GetRetentionAsync(r, ct)));

    public static ApiRoute SetRetention { get; } = new("SetAuditRetention", "PUT", "v1/orgs/{orgId}/audit/retention",
        "Set how long the organization's audit records are kept ({\"days\": n} within the platform's bounds, or null for the default).",
        RouteAccess.Organization(Scopes.Admin), AuditActions.AuditRetentionSet, true, RateLimitPolicies.Standard,
        RouteHandlers.Of<AuditEndpoints>((e, r, ct) => e.SetRetentionAsync(r, ct)))
    {
        AuditTarget = static _ => "audit/retention",
    };

    public static IReadOnlyList<ApiRoute> All { get; } = [Query, QueryOrganization, GetRetention, SetRetention];
}
