using System.Globalization;
using System.Text.Json;
using Integrations.Api.Http;
using Integrations.Api.Pipeline;
using Integrations.Core.Common;
using Integrations.Core.Vault;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Integrations.Api.Secrets;

/// <summary>
/// Secrets of a project: create, read metadata, reveal, update (new version), patch (metadata, no new version), list,
/// delete, restore, purge. Item routes address a secret by name (<c>{name}</c>) or by id (<c>by-id/{secretId}</c>);
/// both go through <see cref="LocateAsync"/>, after which the handlers are the same.
/// </summary>
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
        if (input.Name is { } name && SecretRules.IsHubManaged(name))
        {
            return Problems.From(HubError.Invalid(SecretProblems.NameReserved, $"Names starting with '{SecretRules.HubManagedPrefix}' or '{SecretRules.WebhookManagedPrefix}' are the hub's own (connection tokens, webhook signing secrets).", "name"));
        }

        var rotateEvery = RotationPeriod.Parse(input.RotateEvery);
        if (!rotateEvery.IsSuccess)
        {
            return Problems.From(rotateEvery.Error);
        }

        if (!await request.BeginChangeAsync(SecretRoutes.Target(input.Name)).ConfigureAwait(false))
        {
            return ApiProblems.AuditUnavailable();
        }

        var created = await vault.CreateAsync(request.Project, input.Name,
            new SecretInput(input.Value, input.Description, input.Tags, input.AuthType, input.Metadata, input.ExpiresAt, rotateEvery.Value),
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
        var location = await LocateAsync(request, cancellationToken).ConfigureAwait(false);
        var secret = location.IsSuccess ? await vault.GetAsync(location.Value, cancellationToken).ConfigureAwait(false) : location.Error;
        if (!secret.IsSuccess)
        {
            return Problems.From(secret.Error);
        }

        SetETag(request, secret.Value.CurrentVersion);
        return Responses.Json(SecretResponse.From(secret.Value, Retention));
    }

    public async Task<IResult> ExistsAsync(HubRequest request, CancellationToken cancellationToken)
    {
        var location = await LocateAsync(request, cancellationToken).ConfigureAwait(false);
        var secret = location.IsSuccess ? await vault.GetAsync(location.Value, cancellationToken).ConfigureAwait(false) : location.Error;
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

        var location = await LocateUnmanagedAsync(request, cancellationToken).ConfigureAwait(false);
        if (!location.IsSuccess)
        {
            return Problems.From(location.Error);
        }

        var revealed = await vault.RevealAsync(location.Value, body.Value.Version, cancellationToken).ConfigureAwait(false);
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

        var location = await LocateUnmanagedAsync(request, cancellationToken).ConfigureAwait(false);
        if (!location.IsSuccess)
        {
            return Problems.From(location.Error);
        }

        var input = body.Value;
        var rotateEvery = RotationPeriod.Parse(input.RotateEvery);
        if (!rotateEvery.IsSuccess)
        {
            return Problems.From(rotateEvery.Error);
        }

        var updated = await vault.UpdateAsync(location.Value,
            new SecretInput(input.Value, input.Description, input.Tags, input.AuthType, input.Metadata, input.ExpiresAt, rotateEvery.Value),
            expected.Value, request.Caller.Id, cancellationToken).ConfigureAwait(false);
        if (!updated.IsSuccess)
        {
            return Problems.From(updated.Error);
        }

        SetETag(request, updated.Value.CurrentVersion);
        return Responses.Json(SecretResponse.From(updated.Value, Retention));
    }

    /// <summary>
    /// PATCH: description, tags, auth type and metadata, without a new version. JSON merge-patch semantics (RFC 7396):
    /// a member left out is unchanged, <c>null</c> removes it (auth type back to <c>other</c>), <c>metadata</c> is merged
    /// key by key. Any other member (a <c>value</c>, a <c>name</c>) is refused: a value changes only with PUT.
    /// </summary>
    public async Task<IResult> PatchAsync(HubRequest request, CancellationToken cancellationToken)
    {
        var expected = ParseIfMatch(request.Request);
        if (!expected.IsSuccess)
        {
            return Problems.From(expected.Error);
        }

        var body = await JsonBody.ReadElementAsync(request.Request).ConfigureAwait(false);
        var patch = body.IsSuccess ? ParsePatch(body.Value) : body.Error;
        if (!patch.IsSuccess)
        {
            return Problems.From(patch.Error);
        }

        var location = await LocateUnmanagedAsync(request, cancellationToken).ConfigureAwait(false);
        var patched = location.IsSuccess
            ? await vault.PatchAsync(location.Value, patch.Value, expected.Value, request.Caller.Id, cancellationToken).ConfigureAwait(false)
            : location.Error;
        if (!patched.IsSuccess)
        {
            return Problems.From(patched.Error);
        }

        SetETag(request, patched.Value.CurrentVersion);
        return Responses.Json(SecretResponse.From(patched.Value, Retention));
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
        if (search.Length > 0 && !IsNamePrefix(search))
        {
            return Problems.From(HubError.Invalid(ApiProblems.InvalidQuery, "search is a name prefix: characters A-Z, a-z, 0-9, '.', '_' or '-'.", "search"));
        }

        var authType = request.Request.Query["auth_type"].ToString();
        if (authType.Length > 0 && !SecretAuthTypes.IsKnown(authType))
        {
            return Problems.From(HubError.Invalid(ApiProblems.InvalidQuery, $"auth_type must be one of {string.Join(", ", SecretAuthTypes.All)}.", "auth_type"));
        }

        var tag = request.Request.Query["tag"].ToString();
        var query = new SecretQuery(search.Length == 0 ? null : search, tag.Length == 0 ? null : tag, deleted.Value, page.Value, authType.Length == 0 ? null : authType);
        var secrets = await vault.ListAsync(request.Project, query, cancellationToken).ConfigureAwait(false);
        return secrets.IsSuccess ? Responses.Page(secrets.Value, s => SecretResponse.From(s, Retention, withMetadata: false)) : Problems.From(secrets.Error);
    }

    public async Task<IResult> ListVersionsAsync(HubRequest request, CancellationToken cancellationToken)
    {
        var page = Query.Page(request.Request);
        if (!page.IsSuccess)
        {
            return Problems.From(page.Error);
        }

        var versions = await vault.ListVersionsAsync(Location(request), page.Value, cancellationToken).ConfigureAwait(false);
        return versions.IsSuccess
            ? Responses.Page(versions.Value, v => new SecretVersionResponse(v.Version, v.CreatedBy, v.CreatedAt))
            : Problems.From(versions.Error);
    }

    public async Task<IResult> DeleteAsync(HubRequest request, CancellationToken cancellationToken)
    {
        var location = await LocateUnmanagedAsync(request, cancellationToken).ConfigureAwait(false);
        var deleted = location.IsSuccess ? await vault.DeleteAsync(location.Value, request.Caller.Id, cancellationToken).ConfigureAwait(false) : location.Error;
        return deleted.IsSuccess ? Results.NoContent() : Problems.From(deleted.Error);
    }

    public async Task<IResult> RestoreAsync(HubRequest request, CancellationToken cancellationToken)
    {
        var location = Unmanaged(Location(request));
        var restored = location.IsSuccess ? await vault.RestoreAsync(location.Value, request.Caller.Id, cancellationToken).ConfigureAwait(false) : location.Error;
        return restored.IsSuccess ? Responses.Json(SecretResponse.From(restored.Value, Retention)) : Problems.From(restored.Error);
    }

    public async Task<IResult> PurgeAsync(HubRequest request, CancellationToken cancellationToken)
    {
        var location = Unmanaged(Location(request));
        var purged = location.IsSuccess ? await vault.PurgeAsync(location.Value, request.Caller.Id, cancellationToken).ConfigureAwait(false) : location.Error;
        return purged.IsSuccess ? Results.NoContent() : Problems.From(purged.Error);
    }

    private static SecretLocation Location(HubRequest request) => new(request.OrganizationId, request.Project.Id, request.Values.Required("name"));

    /// <summary>The secret a by-name or by-id route addresses; an id of another project or tenant is not found.</summary>
    private async Task<Result<SecretLocation>> LocateAsync(HubRequest request, CancellationToken cancellationToken) =>
        request.Values[SecretRoutes.SecretIdParameter] is { } secretId
            ? await vault.FindByIdAsync(request.Project, secretId, cancellationToken).ConfigureAwait(false)
            : Location(request);

    /// <summary>As <see cref="LocateAsync"/>, refusing a secret the hub manages (reveal and changes go through its own routes).</summary>
    private async Task<Result<SecretLocation>> LocateUnmanagedAsync(HubRequest request, CancellationToken cancellationToken)
    {
        var location = await LocateAsync(request, cancellationToken).ConfigureAwait(false);
        return location.IsSuccess ? Unmanaged(location.Value) : location.Error;
    }

    private static Result<SecretLocation> Unmanaged(SecretLocation location) => SecretRules.IsHubManaged(location.Name)
        ? HubError.Conflict(SecretProblems.ManagedByHub, location.Name.StartsWith(SecretRules.WebhookManagedPrefix, StringComparison.Ordinal)
            ? $"The secret '{location.Name}' is managed by the hub (a webhook source's signing secret): use the source's routes (secrets, delete)."
            : $"The secret '{location.Name}' is managed by the hub (a connection's tokens): use the connection's routes (token, revoke, delete).")
        : location;

    /// <summary>A list's <c>search</c>: the start of a name, so the name rules less the ones only whole names have.</summary>
    private static bool IsNamePrefix(string search) => SecretRules.IsValidName(search) || (search.Length <= SecretRules.MaxNameLength && SecretRules.IsValidName(search + "x"));

    private static void SetETag(HubRequest request, int version) => request.Response.Headers.ETag = $"\"{version}\"";

    private static Result<SecretPatch> ParsePatch(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            return HubError.Invalid(ApiProblems.MalformedJson, "The body must be a JSON object.");
        }

        var patch = new SecretPatch();
        foreach (var member in body.EnumerateObject())
        {
            var value = member.Value;
            switch (member.Name)
            {
                case "description" when value.ValueKind is JsonValueKind.String or JsonValueKind.Null:
                    patch = patch with { SetsDescription = true, Description = value.ValueKind == JsonValueKind.Null ? null : value.GetString() };
                    break;
                case "tags" when value.ValueKind == JsonValueKind.Null:
                    patch = patch with { Tags = [] };
                    break;
                case "tags" when value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(t => t.ValueKind == JsonValueKind.String):
                    patch = patch with { Tags = value.EnumerateArray().Select(t => t.GetString()!).ToList() };
                    break;
                case "auth_type" when value.ValueKind is JsonValueKind.String or JsonValueKind.Null:
                    patch = patch with { SetsAuthType = true, AuthType = value.ValueKind == JsonValueKind.Null ? null : value.GetString() };
                    break;
                case "metadata" when value.ValueKind == JsonValueKind.Null:
                    patch = patch with { ClearMetadata = true, Metadata = null };
                    break;
                case "metadata" when value.ValueKind == JsonValueKind.Object
                    && value.EnumerateObject().All(e => e.Value.ValueKind is JsonValueKind.String or JsonValueKind.Null):
                    var entries = new Dictionary<string, string?>(StringComparer.Ordinal);
                    foreach (var entry in value.EnumerateObject())
                    {
                        entries[entry.Name] = entry.Value.ValueKind == JsonValueKind.Null ? null : entry.Value.GetString();
                    }

                    patch = patch with { Metadata = entries };
                    break;
                case "expires_at" when value.ValueKind == JsonValueKind.Null:
                    patch = patch with { SetsExpiresAt = true, ExpiresAt = null };
                    break;
                case "expires_at" when value.ValueKind == JsonValueKind.String && value.TryGetDateTimeOffset(out var expiresAt):
                    patch = patch with { SetsExpiresAt = true, ExpiresAt = expiresAt };
                    break;
                case "rotate_every" when value.ValueKind == JsonValueKind.Null:
                    patch = patch with { SetsRotateEvery = true, RotateEvery = null };
                    break;
                case "rotate_every" when value.ValueKind == JsonValueKind.String:
                    var period = RotationPeriod.Parse(value.GetString());
                    if (!period.IsSuccess)
                    {
                        return period.Error;
                    }

                    patch = patch with { SetsRotateEvery = true, RotateEvery = period.Value };
                    break;
                case "description" or "tags" or "auth_type" or "metadata" or "expires_at" or "rotate_every":
                    return HubError.Invalid(ApiProblems.MalformedJson, $"'{member.Name}' has the wrong type.", member.Name);
                default:
                    // The member name is the caller's input: it is named only when it is one of ours (value, name).
                    return HubError.Invalid(SecretProblems.InvalidPatch,
                        "PATCH changes description, tags, auth_type and metadata only; write a new value with PUT.", member.Name is "value" or "name" ? member.Name : null);
            }
        }

        return patch;
    }

    /// <summary>If-Match carries the version the change is based on (the ETag of GET), or * for any.</summary>
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
