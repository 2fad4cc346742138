using Integrations.Api.Routing;

namespace Integrations.Api.AdminPage;

/// <summary>
/// The admin page (<c>/admin</c>): static files embedded in this assembly, served by one public route in both shells. The
/// page holds no credential of its own; it calls the JSON API with what the person types in, like any other client.
/// </summary>
public static class AdminPageRoutes
{
    /// <summary>
    /// <c>/admin</c>, <c>/admin/</c> (the page) and <c>/admin/{file}</c> (its scripts and style). The catch-all is only for
    /// routing: the handler looks the request path up among the embedded files by exact name and never touches a file system.
    /// </summary>
    public const string Template = "admin/{*path}";

    public static ApiRoute Page { get; } = new("AdminPage", "GET", Template,
        "The admin page (static HTML, scripts and style; sign in with an API key or email and password).",
        RouteAccess.Public, AuditAction: null, ChangesState: false, RateLimitPolicies.None,
        static (request, _) => Task.FromResult(AdminPageEndpoints.Serve(request.Http)));

    public static IReadOnlyList<ApiRoute> All { get; } = [Page];
}
