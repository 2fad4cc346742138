using Integrations.Api.Routing;
using Integrations.Core.Audit;
using Integrations.Core.Identity;

namespace Integrations.Api.Activity;

/// <summary>The activity route: an entry of the route table (<see cref="ApiRoutes"/>).</summary>
public static class ActivityRoutes
{
    public static ApiRoute List { get; } = new("ListActivity", "GET", "v1/projects/{projectId}/activity",
        "The project's events (connection status changes, expiring secrets …), newest first; filter by type and since.",
        RouteAccess.Project(Scopes.ConnectionsRead), AuditActions.ActivityList, false, RateLimitPolicies.Standard,
        RouteHandlers.Of<ActivityEndpoints>((e, r, ct) => e.ListAsync(r, ct)));

    public static IReadOnlyList<ApiRoute> All { get; } = [List];
}
