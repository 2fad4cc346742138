namespace Integrations.Api;

/// <summary>One HTTP route of the hub. Both shells expose exactly <see cref="ApiRoutes.All"/>; a test keeps them in step.</summary>
/// <param name="Name">The operation id, and the Functions function name.</param>
/// <param name="Method">The HTTP method, upper case.</param>
/// <param name="Template">The route without a leading slash, as Functions writes it.</param>
/// <param name="Summary">What it does, for the OpenAPI document.</param>
/// <param name="Authorization">Who may call it, for the OpenAPI document; null for public routes.</param>
public sealed record ApiRoute(string Name, string Method, string Template, string Summary, string? Authorization);

/// <summary>The route table: the product's paths.</summary>
public static class ApiRoutes
{
    private const string SecretPath = "v1/projects/{projectId}/secrets/{name}";

    public static ApiRoute Healthz { get; } = new("Healthz", "GET", "healthz", "Liveness probe.", null);
    public static ApiRoute Readyz { get; } = new("Readyz", "GET", "readyz", "Readiness probe: storage and keys reachable.", null);
    public static ApiRoute OpenApi { get; } = new("OpenApi", "GET", "openapi.json", "This API description.", null);
    public static ApiRoute CreateOrganization { get; } = new("CreateOrganization", "POST", "v1/orgs", "Create an organization; returns its first owner API key once.", "platform admin key");
    public static ApiRoute CreateApiKey { get; } = new("CreateApiKey", "POST", "v1/orgs/{orgId}/api-keys", "Create an API key; the key is returned once.", "admin");
    public static ApiRoute ListApiKeys { get; } = new("ListApiKeys", "GET", "v1/orgs/{orgId}/api-keys", "List API keys (no key material).", "admin");
    public static ApiRoute RevokeApiKey { get; } = new("RevokeApiKey", "DELETE", "v1/orgs/{orgId}/api-keys/{keyId}", "Revoke an API key.", "admin");
    public static ApiRoute CreateProject { get; } = new("CreateProject", "POST", "v1/projects", "Create a project.", "projects:write");
    public static ApiRoute ListProjects { get; } = new("ListProjects", "GET", "v1/projects", "List projects.", "any organization key");
    public static ApiRoute CreateSecret { get; } = new("CreateSecret", "POST", "v1/projects/{projectId}/secrets", "Create a secret (version 1).", "secrets:write");
    public static ApiRoute ListSecrets { get; } = new("ListSecrets", "GET", "v1/projects/{projectId}/secrets", "List or search secrets by name prefix and tag; deleted=true lists deleted ones.", "secrets:read");
    public static ApiRoute GetSecret { get; } = new("GetSecret", "GET", SecretPath, "A secret's metadata (never its value).", "secrets:read");
    public static ApiRoute SecretExists { get; } = new("SecretExists", "HEAD", SecretPath, "200 if the secret exists, 404 if not.", "secrets:read");
    public static ApiRoute UpdateSecret { get; } = new("UpdateSecret", "PUT", SecretPath, "Write a new version; If-Match makes it conditional.", "secrets:write");
    public static ApiRoute DeleteSecret { get; } = new("DeleteSecret", "DELETE", SecretPath, "Soft-delete a secret (restorable within the retention window).", "secrets:write");
    public static ApiRoute RevealSecret { get; } = new("RevealSecret", "POST", SecretPath + "/reveal", "Reveal the latest value, or {version}.", "secrets:reveal");
    public static ApiRoute ListSecretVersions { get; } = new("ListSecretVersions", "GET", SecretPath + "/versions", "List a secret's versions.", "secrets:read");
    public static ApiRoute RestoreSecret { get; } = new("RestoreSecret", "POST", SecretPath + "/restore", "Restore a deleted secret.", "secrets:write");
    public static ApiRoute PurgeSecret { get; } = new("PurgeSecret", "POST", SecretPath + "/purge", "Permanently remove a deleted secret and all its versions.", "secrets:write");
    public static ApiRoute QueryAudit { get; } = new("QueryAudit", "GET", "v1/projects/{projectId}/audit", "A project's audit log, newest first (from, to, page, per_page).", "admin");
    public static ApiRoute RotateKeys { get; } = new("RotateKeys", "POST", "v1/admin/keys/rotate", "Start a key rotation (target: data_keys or root_key).", "platform admin key");
    public static ApiRoute GetKeyRotation { get; } = new("GetKeyRotation", "GET", "v1/admin/keys/rotations/{rotationId}", "A key rotation's progress.", "platform admin key");

    public static IReadOnlyList<ApiRoute> All { get; } =
    [
        Healthz, Readyz, OpenApi, CreateOrganization, CreateApiKey, ListApiKeys, RevokeApiKey, CreateProject, ListProjects, CreateSecret, ListSecrets,
        GetSecret, SecretExists, UpdateSecret, DeleteSecret, RevealSecret, ListSecretVersions, RestoreSecret, PurgeSecret, QueryAudit, RotateKeys, GetKeyRotation,
    ];
}
