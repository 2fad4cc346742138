using Integrations.Api.Routing;
using Integrations.Core.Audit;
using Integrations.Core.Identity;

namespace Integrations.Api.Audit;

/// <summary>The audit routes: entries of the route table (<see cref="ApiRoutes"/>).</summary>
public static class AuditRoutes
{
    public static ApiRoute Query { get; } = new("QueryAudit", "GET", "v1/projects/{projectId}/audit", "A project's audit log, newest first (from, to, page, per_page).",
        RouteAccess.Project(Scopes.Admin), AuditActions.AuditRead, false, RateLimitPolicies.Standard,
        RouteHandlers.Of<AuditEndpoints>((e, r, ct) => e.QueryAsync(r, ct)));

    public static IReadOnlyList<ApiRoute> All { get; } = [Query];
}
