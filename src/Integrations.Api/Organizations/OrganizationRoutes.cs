using Integrations.Api.Routing;
using Integrations.Core.Audit;

namespace Integrations.Api.Organizations;

/// <summary>The organization routes: entries of the route table (<see cref="ApiRoutes"/>).</summary>
public static class OrganizationRoutes
{
    public static ApiRoute Create { get; } = new("CreateOrganization", "POST", "v1/orgs", "Create an organization; returns its first owner API key once.",
        RouteAccess.PlatformAdmin, AuditActions.OrganizationCreate, true, RateLimitPolicies.Standard,
        RouteHandlers.Of<OrganizationEndpoints>((e, r, ct) => e.CreateAsync(r, ct)))
    {
        NamesItsTarget = true,
    };

    public static IReadOnlyList<ApiRoute> All { get; } = [Create];
}
