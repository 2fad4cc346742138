using Integrations.Api.Routing;

namespace Integrations.Api.Health;

/// <summary>The public routes: entries of the route table (<see cref="ApiRoutes"/>). Not authenticated, not audited, not limited.</summary>
public static class HealthRoutes
{
    public static ApiRoute Healthz { get; } = Public("Healthz", "healthz", "Liveness probe.", static (_, _) => HealthEndpoints.HealthzAsync());

    public static ApiRoute Readyz { get; } = Public("Readyz", "readyz", "Readiness probe: storage and keys reachable.",
        RouteHandlers.Of<HealthEndpoints>((e, r, ct) => e.ReadyzAsync(r, ct)));

    public static ApiRoute OpenApi { get; } = Public("OpenApi", "openapi.json", "This API description.", static (_, _) => HealthEndpoints.OpenApiAsync());

    public static IReadOnlyList<ApiRoute> All { get; } = [Healthz, Readyz, OpenApi];

    private static ApiRoute Public(string name, string template, string summary, RouteHandler handler) =>
        new(name, "GET", template, summary, RouteAccess.Public, AuditAction: null, ChangesState: false, RateLimitPolicies.None, handler);
}
