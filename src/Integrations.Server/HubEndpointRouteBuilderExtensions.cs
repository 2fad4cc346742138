using Integrations.Api;
using Integrations.Api.Http;

namespace Integrations.Server;

/// <summary>Maps <see cref="ApiRoutes.All"/> onto Kestrel. Each route is one line: the logic lives in Integrations.Api.</summary>
public static class HubEndpointRouteBuilderExtensions
{
    public static IEndpointRouteBuilder MapIntegrationsHub(this IEndpointRouteBuilder app)
    {
        Map(app, ApiRoutes.Healthz, HealthEndpoints.Healthz);
        Map(app, ApiRoutes.Readyz, (HttpContext c, HealthEndpoints e) => e.ReadyzAsync(c));
        Map(app, ApiRoutes.OpenApi, HealthEndpoints.OpenApi);
        Map(app, ApiRoutes.CreateOrganization, (HttpContext c, OrganizationEndpoints e) => e.CreateAsync(c));
        Map(app, ApiRoutes.CreateApiKey, (HttpContext c, string orgId, ApiKeyEndpoints e) => e.CreateAsync(c, orgId));
        Map(app, ApiRoutes.ListApiKeys, (HttpContext c, string orgId, ApiKeyEndpoints e) => e.ListAsync(c, orgId));
        Map(app, ApiRoutes.RevokeApiKey, (HttpContext c, string orgId, string keyId, ApiKeyEndpoints e) => e.RevokeAsync(c, orgId, keyId));
        Map(app, ApiRoutes.CreateProject, (HttpContext c, ProjectEndpoints e) => e.CreateAsync(c));
        Map(app, ApiRoutes.ListProjects, (HttpContext c, ProjectEndpoints e) => e.ListAsync(c));
        Map(app, ApiRoutes.CreateSecret, (HttpContext c, string projectId, SecretEndpoints e) => e.CreateAsync(c, projectId));
        Map(app, ApiRoutes.ListSecrets, (HttpContext c, string projectId, SecretEndpoints e) => e.ListAsync(c, projectId));
        Map(app, ApiRoutes.GetSecret, (HttpContext c, string projectId, string name, SecretEndpoints e) => e.GetAsync(c, projectId, name));
        Map(app, ApiRoutes.SecretExists, (HttpContext c, string projectId, string name, SecretEndpoints e) => e.ExistsAsync(c, projectId, name));
        Map(app, ApiRoutes.UpdateSecret, (HttpContext c, string projectId, string name, SecretEndpoints e) => e.UpdateAsync(c, projectId, name));
        Map(app, ApiRoutes.DeleteSecret, (HttpContext c, string projectId, string name, SecretEndpoints e) => e.DeleteAsync(c, projectId, name));
        Map(app, ApiRoutes.RevealSecret, (HttpContext c, string projectId, string name, SecretEndpoints e) => e.RevealAsync(c, projectId, name));
        Map(app, ApiRoutes.ListSecretVersions, (HttpContext c, string projectId, string name, SecretEndpoints e) => e.ListVersionsAsync(c, projectId, name));
        Map(app, ApiRoutes.RestoreSecret, (HttpContext c, string projectId, string name, SecretEndpoints e) => e.RestoreAsync(c, projectId, name));
        Map(app, ApiRoutes.PurgeSecret, (HttpContext c, string projectId, string name, SecretEndpoints e) => e.PurgeAsync(c, projectId, name));
        Map(app, ApiRoutes.QueryAudit, (HttpContext c, string projectId, AuditEndpoints e) => e.QueryAsync(c, projectId));
        Map(app, ApiRoutes.RotateKeys, (HttpContext c, AdminEndpoints e) => e.RotateKeysAsync(c));
        Map(app, ApiRoutes.GetKeyRotation, (HttpContext c, string rotationId, AdminEndpoints e) => e.GetRotationAsync(c, rotationId));

        // Unknown paths get a problem document too, not an empty 404.
        app.MapFallback(() => Problems.Create(StatusCodes.Status404NotFound, "no-route", "Not found", "No API route matches this path; see /openapi.json."));
        return app;
    }

    private static void Map(IEndpointRouteBuilder app, ApiRoute route, Delegate handler) =>
        app.MapMethods("/" + route.Template, [route.Method], handler).WithName(route.Name);
}
