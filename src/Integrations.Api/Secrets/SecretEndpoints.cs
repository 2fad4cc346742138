using System.Globalization;
using Integrations.Api.Http;
using Integrations.Api.Pipeline;
using Integrations.Core.Common;
using Integrations.Core.Vault;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Integrations.Api.Secrets;

/// <summary>Secrets of a project: create, read metadata, reveal, update (new version), list, delete, restore, purge.</summary>
public sealed class SecretEndpoints(VaultService vault, IOptions<VaultOptions> options)
{
    private TimeSpan Retention => options.Value.SoftDeleteRetention;

    public async Task<IResult> CreateAsync(HubRequest request, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync<CreateSecretRequest>(request.Request).ConfigureAwait(false);
        if (!body.IsSuccess)
        {
            return Problems.From(body.Error);
        }

        var input = body.Value;
        if (!await request.BeginChangeAsync(SecretRoutes.Target(input.Name)).ConfigureAwait(false))
        {
            return ApiProblems.AuditUnavailable();
        }

        var created = await vault.CreateAsync(request.Project, input.Name, new SecretInput(input.Value, input.Description, input.Tags),
            request.Caller.Id, cancellationToken).ConfigureAwait(false);
        if (!created.IsSuccess)
        {
            return Problems.From(created.Error);
        }

        SetETag(request, created.Value.CurrentVersion);
        return Responses.Json(SecretResponse.From(created.Value, Retention), StatusCodes.Status201Created);
    }

    public async Task<IResult> GetAsync(HubRequest request, CancellationToken cancellationToken)
    {
        var secret = await vault.GetAsync(Location(request), cancellationToken).ConfigureAwait(false);
        if (!secret.IsSuccess)
        {
            return Problems.From(secret.Error);
        }

        SetETag(request, secret.Value.CurrentVersion);
        return Responses.Json(SecretResponse.From(secret.Value, Retention));
    }

    public async Task<IResult> ExistsAsync(HubRequest request, CancellationToken cancellationToken)
    {
        var secret = await vault.GetAsync(Location(request), cancellationToken).ConfigureAwait(false);
        if (!secret.IsSuccess)
        {
            return Results.NotFound();
        }

        SetETag(request, secret.Value.CurrentVersion);
        return Results.Ok();
    }

    public async Task<IResult> RevealAsync(HubRequest request, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync<RevealSecretRequest>(request.Request, optional: true).ConfigureAwait(false);
        if (!body.IsSuccess)
        {
            return Problems.From(body.Error);
        }

        if (body.Value.Version is { } version)
        {
            request.Audit.Target += $"@{version}";
        }

        var revealed = await vault.RevealAsync(Location(request), body.Value.Version, cancellationToken).ConfigureAwait(false);
        return revealed.IsSuccess
            ? Responses.Json(new RevealResponse(revealed.Value.Name, revealed.Value.Version, revealed.Value.Value))
            : Problems.From(revealed.Error);
    }

    public async Task<IResult> UpdateAsync(HubRequest request, CancellationToken cancellationToken)
    {
        var expected = ParseIfMatch(request.Request);
        if (!expected.IsSuccess)
        {
            return Problems.From(expected.Error);
        }

        var body = await JsonBody.ReadAsync<UpdateSecretRequest>(request.Request).ConfigureAwait(false);
        if (!body.IsSuccess)
        {
            return Problems.From(body.Error);
        }

        var input = body.Value;
        var updated = await vault.UpdateAsync(Location(request), new SecretInput(input.Value, input.Description, input.Tags), expected.Value, request.Caller.Id, cancellationToken)
            .ConfigureAwait(false);
        if (!updated.IsSuccess)
        {
            return Problems.From(updated.Error);
        }

        SetETag(request, updated.Value.CurrentVersion);
        return Responses.Json(SecretResponse.From(updated.Value, Retention));
    }

    public async Task<IResult> ListAsync(HubRequest request, CancellationToken cancellationToken)
    {
        var page = Query.Page(request.Request);
        var deleted = Query.Flag(request.Request, "deleted");
        if ((page.Error ?? deleted.Error) is { } error)
        {
            return Problems.From(error);
        }

        var search = request.Request.Query["search"].ToString();
        if (search.Length > 0 && !SecretRules.IsValidName(search))
        {
            return Problems.From(HubError.Invalid(ApiProblems.InvalidQuery, "search is a name prefix: characters A-Z, a-z, 0-9, '.', '_' or '-'.", "search"));
        }

        var tag = request.Request.Query["tag"].ToString();
        var query = new SecretQuery(search.Length == 0 ? null : search, tag.Length == 0 ? null : tag, deleted.Value, page.Value);
        var secrets = await vault.ListAsync(request.Project, query, cancellationToken).ConfigureAwait(false);
        return secrets.IsSuccess ? Responses.Page(secrets.Value, s => SecretResponse.From(s, Retention)) : Problems.From(secrets.Error);
    }

    public async Task<IResult> ListVersionsAsync(HubRequest request, CancellationToken cancellationToken)
    {
        var versions = await vault.ListVersionsAsync(Location(request), cancellationToken).ConfigureAwait(false);
        if (!versions.IsSuccess)
        {
            return Problems.From(versions.Error);
        }

        var all = versions.Value.Select(v => new SecretVersionResponse(v.Version, v.CreatedBy, v.CreatedAt)).ToList();
        return Responses.Json(new ListResponse<SecretVersionResponse>(all, new Pagination(1, Math.Max(all.Count, 1), all.Count, all.Count == 0 ? 0 : 1)));
    }

    public async Task<IResult> DeleteAsync(HubRequest request, CancellationToken cancellationToken)
    {
        var deleted = await vault.DeleteAsync(Location(request), request.Caller.Id, cancellationToken).ConfigureAwait(false);
        return deleted.IsSuccess ? Results.NoContent() : Problems.From(deleted.Error);
    }

    public async Task<IResult> RestoreAsync(HubRequest request, CancellationToken cancellationToken)
    {
        var restored = await vault.RestoreAsync(Location(request), request.Caller.Id, cancellationToken).ConfigureAwait(false);
        return restored.IsSuccess ? Responses.Json(SecretResponse.From(restored.Value, Retention)) : Problems.From(restored.Error);
    }

    public async Task<IResult> PurgeAsync(HubRequest request, CancellationToken cancellationToken)
    {
        var purged = await vault.PurgeAsync(Location(request), request.Caller.Id, cancellationToken).ConfigureAwait(false);
        return purged.IsSuccess ? Results.NoContent() : Problems.From(purged.Error);
    }

    private static SecretLocation Location(HubRequest request) => new(request.OrganizationId, request.Project.Id, request.Values.Required("name"));

    private static void SetETag(HubRequest request, int version) => request.Response.Headers.ETag = $"\"{version}\"";

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

        return raw.Length > 2 && raw[0] == '"' && raw[^1] == '"'
            && int.TryParse(raw.AsSpan(1, raw.Length - 2), NumberStyles.None, CultureInfo.InvariantCulture, out var version)
            ? Result.Success<int?>(version)
            : HubError.Invalid(SecretProblems.InvalidIfMatch, "If-Match must be the ETag returned by GET, e.g. \"3\".", "If-Match");
    }
}
