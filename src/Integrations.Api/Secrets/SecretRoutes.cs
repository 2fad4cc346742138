using Integrations.Api.Pipeline;
using Integrations.Api.Routing;
using Integrations.Core.Audit;
using Integrations.Core.Common;
using Integrations.Core.Identity;
using Integrations.Core.Vault;
using Microsoft.AspNetCore.Http;

namespace Integrations.Api.Secrets;

/// <summary>The secrets routes: entries of the route table (<see cref="ApiRoutes"/>).</summary>
public static class SecretRoutes
{
    /// <summary>The path parameter of the by-id routes.</summary>
    public const string SecretIdParameter = "secretId";

    private const string Collection = "v1/projects/{projectId}/secrets";
    private const string Item = Collection + "/{name}";

    // The literal segment outranks {name} in route matching; SecretRules refuses it as a name.
    private const string ById = Collection + "/" + SecretRules.ByIdSegment + "/{" + SecretIdParameter + "}";

    public static ApiRoute Create { get; } = Route("CreateSecret", "POST", Collection, "Create a secret (version 1).", Scopes.SecretsWrite, AuditActions.SecretCreate,
        true, (e, r, ct) => e.CreateAsync(r, ct), named: false) with { NamesItsTarget = true };

    public static ApiRoute List { get; } = Route("ListSecrets", "GET", Collection, "List or search secrets by name prefix and tag; deleted=true lists deleted ones.",
        Scopes.SecretsRead, AuditActions.SecretList, false, (e, r, ct) => e.ListAsync(r, ct), named: false);

    public static ApiRoute Get { get; } = Route("GetSecret", "GET", Item, "A secret's metadata (never its value).", Scopes.SecretsRead, AuditActions.SecretRead,
        false, (e, r, ct) => e.GetAsync(r, ct));

    public static ApiRoute Exists { get; } = Route("SecretExists", "HEAD", Item, "200 if the secret exists, 404 if not.", Scopes.SecretsRead, AuditActions.SecretRead,
        false, (e, r, ct) => e.ExistsAsync(r, ct));

    public static ApiRoute Update { get; } = Route("UpdateSecret", "PUT", Item, "Write a new version; If-Match makes it conditional.", Scopes.SecretsWrite,
        AuditActions.SecretUpdate, true, (e, r, ct) => e.UpdateAsync(r, ct));

    public static ApiRoute Delete { get; } = Route("DeleteSecret", "DELETE", Item, "Soft-delete a secret (restorable within the retention window).", Scopes.SecretsWrite,
        AuditActions.SecretDelete, true, (e, r, ct) => e.DeleteAsync(r, ct));

    public static ApiRoute Reveal { get; } = Route("RevealSecret", "POST", Item + "/reveal", "Reveal the latest value, or {version}.", Scopes.SecretsReveal,
        AuditActions.SecretReveal, false, (e, r, ct) => e.RevealAsync(r, ct));

    public static ApiRoute ListVersions { get; } = Route("ListSecretVersions", "GET", Item + "/versions", "List a secret's versions.", Scopes.SecretsRead,
        AuditActions.SecretVersions, false, (e, r, ct) => e.ListVersionsAsync(r, ct));

    public static ApiRoute Patch { get; } = Route("PatchSecret", "PATCH", Item,
        "Change description, tags, auth_type and metadata without a new version (JSON merge patch); If-Match makes it conditional.", Scopes.SecretsWrite,
        AuditActions.SecretPatch, true, (e, r, ct) => e.PatchAsync(r, ct));

    public static ApiRoute GetById { get; } = ByIdRoute("GetSecretById", "GET", ById, "A secret's metadata by id (never its value).", Scopes.SecretsRead,
        AuditActions.SecretRead, false, (e, r, ct) => e.GetAsync(r, ct));

    public static ApiRoute ExistsById { get; } = ByIdRoute("SecretExistsById", "HEAD", ById, "200 if a secret with this id exists, 404 if not.", Scopes.SecretsRead,
        AuditActions.SecretRead, false, (e, r, ct) => e.ExistsAsync(r, ct));

    public static ApiRoute UpdateById { get; } = ByIdRoute("UpdateSecretById", "PUT", ById, "Write a new version of the secret with this id; If-Match makes it conditional.",
        Scopes.SecretsWrite, AuditActions.SecretUpdate, true, (e, r, ct) => e.UpdateAsync(r, ct));

    public static ApiRoute PatchById { get; } = ByIdRoute("PatchSecretById", "PATCH", ById,
        "Change the metadata of the secret with this id without a new version (JSON merge patch).", Scopes.SecretsWrite, AuditActions.SecretPatch, true,
        (e, r, ct) => e.PatchAsync(r, ct));

    public static ApiRoute DeleteById { get; } = ByIdRoute("DeleteSecretById", "DELETE", ById, "Soft-delete the secret with this id.", Scopes.SecretsWrite,
        AuditActions.SecretDelete, true, (e, r, ct) => e.DeleteAsync(r, ct));

    public static ApiRoute RevealById { get; } = ByIdRoute("RevealSecretById", "POST", ById + "/reveal", "Reveal the latest value, or {version}, of the secret with this id.",
        Scopes.SecretsReveal, AuditActions.SecretReveal, false, (e, r, ct) => e.RevealAsync(r, ct));

    public static ApiRoute Restore { get; } = Route("RestoreSecret", "POST", Item + "/restore", "Restore a deleted secret.", Scopes.SecretsWrite,
        AuditActions.SecretRestore, true, (e, r, ct) => e.RestoreAsync(r, ct));

    public static ApiRoute Purge { get; } = Route("PurgeSecret", "POST", Item + "/purge", "Permanently remove a deleted secret and all its versions (its own scope: nothing can undo it).", Scopes.SecretsPurge,
        AuditActions.SecretPurge, true, (e, r, ct) => e.PurgeAsync(r, ct));

    public static IReadOnlyList<ApiRoute> All { get; } =
        [Create, List, Get, Exists, Update, Patch, Delete, Reveal, ListVersions, Restore, Purge, GetById, ExistsById, UpdateById, PatchById, DeleteById, RevealById];

    /// <summary>The audit target of a secret. A name that fails validation is not echoed into the log: it could be anything the caller sent.</summary>
    public static string Target(string? name) => "secret/" + (SecretRules.IsValidName(name) ? name : "(invalid name)");

    /// <summary>The audit target of a secret addressed by id; an ill-formed id is not echoed either.</summary>
    public static string TargetById(string? secretId) => "secret-id/" + (Ids.IsValid("sec", secretId) ? secretId : "(invalid id)");

    private static ApiRoute ByIdRoute(
        string name, string method, string template, string summary, string scope, string action, bool changes,
        Func<SecretEndpoints, HubRequest, CancellationToken, Task<IResult>> handler) =>
        Route(name, method, template, summary, scope, action, changes, handler) with { AuditTarget = static values => TargetById(values[SecretIdParameter]) };

    private static ApiRoute Route(
        string name, string method, string template, string summary, string scope, string action, bool changes,
        Func<SecretEndpoints, HubRequest, CancellationToken, Task<IResult>> handler, bool named = true) =>
        new(name, method, template, summary, RouteAccess.Project(scope), action, changes, RateLimitPolicies.Standard, RouteHandlers.Of(handler))
        {
            AuditTarget = named ? static values => Target(values["name"]) : static _ => null,
        };
}
