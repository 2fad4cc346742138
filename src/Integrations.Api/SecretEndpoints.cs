using Integrations.Api.Authentication;
using Integrations.Api.Http;
using Integrations.Core.Audit;
using Integrations.Core.Common;
using Integrations.Core.Identity;
using Integrations.Core.Vault;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Integrations.Api;

/// <summary>Secrets of a project: create, read metadata, reveal, update (new version), list, delete, restore, purge.</summary>
public sealed class SecretEndpoints(EndpointRunner runner, VaultService vault, IOptions<VaultOptions> options)
{
    private TimeSpan Retention => options.Value.SoftDeleteRetention;

    public Task<IResult> CreateAsync(HttpContext context, string projectId) =>
        runner.RunAsync(context, AuditActions.SecretCreate, Access.SecretsWrite, async (caller, audit, ct) =>
        {
            var body = await JsonBody.ReadAsync<CreateSecretRequest>(context.Request).ConfigureAwait(false);
            if (!body.IsSuccess)
            {
                return Problems.From(body.Error!);
            }

            var request = body.Value!;
            audit.Target = Target(request.Name);
            var created = await vault.CreateAsync(Org(caller), projectId, request.Name, new SecretInput(request.Value, request.Description, request.Tags), caller.Id, ct)
                .ConfigureAwait(false);
            if (!created.IsSuccess)
            {
                return Problems.From(created.Error!);
            }

            SetETag(context, created.Value!.CurrentVersion);
            return Results.Json(Responses.Secret(created.Value, Retention), ApiJson.Options, statusCode: StatusCodes.Status201Created);
        }, Describe(projectId));

    public Task<IResult> GetAsync(HttpContext context, string projectId, string name) =>
        runner.RunAsync(context, AuditActions.SecretRead, Access.SecretsRead, async (caller, audit, ct) =>
        {
            var secret = await vault.GetAsync(new SecretLocation(Org(caller), projectId, name), ct).ConfigureAwait(false);
            if (!secret.IsSuccess)
            {
                return Problems.From(secret.Error!);
            }

            SetETag(context, secret.Value!.CurrentVersion);
            return Responses.Json(Responses.Secret(secret.Value, Retention));
        }, Describe(projectId, name));

    public Task<IResult> ExistsAsync(HttpContext context, string projectId, string name) =>
        runner.RunAsync(context, AuditActions.SecretRead, Access.SecretsRead, async (caller, audit, ct) =>
        {
            var secret = await vault.GetAsync(new SecretLocation(Org(caller), projectId, name), ct).ConfigureAwait(false);
            if (!secret.IsSuccess)
            {
                return Results.NotFound();
            }

            SetETag(context, secret.Value!.CurrentVersion);
            return Results.Ok();
        }, Describe(projectId, name));

    public Task<IResult> RevealAsync(HttpContext context, string projectId, string name) =>
        runner.RunAsync(context, AuditActions.SecretReveal, Access.SecretsReveal, async (caller, audit, ct) =>
        {
            var body = await JsonBody.ReadAsync<RevealSecretRequest>(context.Request, optional: true).ConfigureAwait(false);
            if (!body.IsSuccess)
            {
                return Problems.From(body.Error!);
            }

            if (body.Value!.Version is { } version)
            {
                audit.Target += $"@{version}";
            }

            var revealed = await vault.RevealAsync(new SecretLocation(Org(caller), projectId, name), body.Value.Version, ct).ConfigureAwait(false);
            return revealed.IsSuccess
                ? Responses.Json(new RevealResponse(revealed.Value!.Name, revealed.Value.Version, revealed.Value.Value))
                : Problems.From(revealed.Error!);
        }, Describe(projectId, name));

    public Task<IResult> UpdateAsync(HttpContext context, string projectId, string name) =>
        runner.RunAsync(context, AuditActions.SecretUpdate, Access.SecretsWrite, async (caller, audit, ct) =>
        {
            var expected = ParseIfMatch(context.Request);
            if (!expected.IsSuccess)
            {
                return Problems.From(expected.Error!);
            }

            var body = await JsonBody.ReadAsync<UpdateSecretRequest>(context.Request).ConfigureAwait(false);
            if (!body.IsSuccess)
            {
                return Problems.From(body.Error!);
            }

            var request = body.Value!;
            var updated = await vault.UpdateAsync(new SecretLocation(Org(caller), projectId, name), new SecretInput(request.Value, request.Description, request.Tags),
                expected.Value, caller.Id, ct).ConfigureAwait(false);
            if (!updated.IsSuccess)
            {
                return Problems.From(updated.Error!);
            }

            SetETag(context, updated.Value!.CurrentVersion);
            return Responses.Json(Responses.Secret(updated.Value, Retention));
        }, Describe(projectId, name));

    public Task<IResult> ListAsync(HttpContext context, string projectId) =>
        runner.RunAsync(context, AuditActions.SecretList, Access.SecretsRead, async (caller, audit, ct) =>
        {
            var page = Query.Page(context.Request);
            var deleted = Query.Flag(context.Request, "deleted");
            if ((page.Error ?? deleted.Error) is { } error)
            {
                return Problems.From(error);
            }

            var search = context.Request.Query["search"].ToString();
            if (search.Length > 0 && !SecretRules.IsValidName(search))
            {
                return Problems.From(HubError.Invalid("invalid-query", "search is a name prefix: characters A-Z, a-z, 0-9, '.', '_' or '-'.", "search"));
            }

            var tag = context.Request.Query["tag"].ToString();
            var query = new SecretQuery(search.Length == 0 ? null : search, tag.Length == 0 ? null : tag, deleted.Value, page.Value);
            var secrets = await vault.ListAsync(Org(caller), projectId, query, ct).ConfigureAwait(false);
            return secrets.IsSuccess ? Responses.Page(secrets.Value!, s => Responses.Secret(s, Retention)) : Problems.From(secrets.Error!);
        }, Describe(projectId));

    public Task<IResult> ListVersionsAsync(HttpContext context, string projectId, string name) =>
        runner.RunAsync(context, AuditActions.SecretVersions, Access.SecretsRead, async (caller, audit, ct) =>
        {
            var versions = await vault.ListVersionsAsync(new SecretLocation(Org(caller), projectId, name), ct).ConfigureAwait(false);
            if (!versions.IsSuccess)
            {
                return Problems.From(versions.Error!);
            }

            var all = versions.Value!.Select(v => new SecretVersionResponse(v.Version, v.CreatedBy, v.CreatedAt)).ToList();
            return Responses.Json(new ListResponse<SecretVersionResponse>(all, new Pagination(1, Math.Max(all.Count, 1), all.Count, all.Count == 0 ? 0 : 1)));
        }, Describe(projectId, name));

    public Task<IResult> DeleteAsync(HttpContext context, string projectId, string name) =>
        runner.RunAsync(context, AuditActions.SecretDelete, Access.SecretsWrite, async (caller, audit, ct) =>
        {
            var deleted = await vault.DeleteAsync(new SecretLocation(Org(caller), projectId, name), caller.Id, ct).ConfigureAwait(false);
            return deleted.IsSuccess ? Results.NoContent() : Problems.From(deleted.Error!);
        }, Describe(projectId, name));

    public Task<IResult> RestoreAsync(HttpContext context, string projectId, string name) =>
        runner.RunAsync(context, AuditActions.SecretRestore, Access.SecretsWrite, async (caller, audit, ct) =>
        {
            var restored = await vault.RestoreAsync(new SecretLocation(Org(caller), projectId, name), caller.Id, ct).ConfigureAwait(false);
            return restored.IsSuccess ? Responses.Json(Responses.Secret(restored.Value!, Retention)) : Problems.From(restored.Error!);
        }, Describe(projectId, name));

    public Task<IResult> PurgeAsync(HttpContext context, string projectId, string name) =>
        runner.RunAsync(context, AuditActions.SecretPurge, Access.SecretsWrite, async (caller, audit, ct) =>
        {
            var purged = await vault.PurgeAsync(new SecretLocation(Org(caller), projectId, name), caller.Id, ct).ConfigureAwait(false);
            return purged.IsSuccess ? Results.NoContent() : Problems.From(purged.Error!);
        }, Describe(projectId, name));

    private static string Org(Caller caller) => caller.OrganizationId!;

    private static RequestAudit Describe(string projectId, string? name = null) =>
        new() { ProjectId = projectId, Target = name is null ? null : Target(name) };

    // A name that fails validation is not echoed into the log: it could be anything the caller sent.
    private static string Target(string? name) => "secret/" + (SecretRules.IsValidName(name) ? name : "(invalid name)");

    private static void SetETag(HttpContext context, int version) => context.Response.Headers.ETag = $"\"{version}\"";

    /// <summary>If-Match carries the version the update is based on (the ETag of GET), or * for any.</summary>
    private static Result<int?> ParseIfMatch(HttpRequest request)
    {
        var raw = request.Headers.IfMatch.ToString().Trim();
        if (raw.Length == 0 || raw == "*")
        {
            return Result.Success<int?>(null);
        }

        if (raw.StartsWith("W/", StringComparison.Ordinal))
        {
            // RFC 9110 §13.1.1: If-Match compares strongly, and a weak tag never matches.
            return Result.Success<int?>(-1);
        }

        var unquoted = raw;
        return unquoted.Length > 2 && unquoted[0] == '"' && unquoted[^1] == '"'
            && int.TryParse(unquoted.AsSpan(1, unquoted.Length - 2), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var version)
            ? Result.Success<int?>(version)
            : HubError.Invalid("invalid-if-match", "If-Match must be the ETag returned by GET, e.g. \"3\".", "If-Match");
    }
}
