using Integrations.Api.Routing;
using Integrations.Core.Audit;
using Integrations.Core.Identity;

namespace Integrations.Api.Projects;

/// <summary>The project routes: entries of the route table (<see cref="ApiRoutes"/>).</summary>
public static class ProjectRoutes
{
    public static ApiRoute Create { get; } = new("CreateProject", "POST", "v1/projects", "Create a project.",
        RouteAccess.Organization(Scopes.ProjectsWrite), AuditActions.ProjectCreate, true, RateLimitPolicies.Standard,
        RouteHandlers.Of<ProjectEndpoints>((e, r, ct) => e.CreateAsync(r, ct)))
    {
        NamesItsTarget = true,
    };

    public static ApiRoute List { get; } = new("ListProjects", "GET", "v1/projects", "List projects.",
        RouteAccess.Organization(), AuditActions.ProjectList, false, RateLimitPolicies.Standard,
        RouteHandlers.Of<ProjectEndpoints>((e, r, ct) => e.ListAsync(r, ct)));

    public static IReadOnlyList<ApiRoute> All { get; } = [Create, List];
}
