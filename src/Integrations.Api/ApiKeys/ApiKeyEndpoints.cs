using Integrations.Api.Http;
using Integrations.Api.Pipeline;
using Integrations.Core.Common;
using Integrations.Core.Identity;
using Microsoft.AspNetCore.Http;

namespace Integrations.Api.ApiKeys;

/// <summary>An organization's API keys. The key itself is returned once, at creation; lists show a hint only.</summary>
public sealed class ApiKeyEndpoints(ApiKeyService apiKeys)
{
    public async Task<IResult> CreateAsync(HubRequest request, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync<CreateApiKeyRequest>(request.Request).ConfigureAwait(false);
        if (!body.IsSuccess)
        {
            return Problems.From(body.Error);
        }

        var input = body.Value;
        var keyId = Ids.New("key");
        if (!await request.BeginChangeAsync(ApiKeyRoutes.Target(keyId)).ConfigureAwait(false))
        {
            return ApiProblems.AuditUnavailable();
        }

        // A key making a key bounds it (scopes, expiry) and becomes its parent; a person bounds it by what their role grants.
        var issued = request.Caller.Kind == CallerKind.User
            ? await apiKeys.CreateByUserAsync(request.OrganizationId, request.Caller.Id, request.Caller.Scopes, input.Name, input.Scopes, input.ExpiresAt, keyId, cancellationToken)
                .ConfigureAwait(false)
            : await apiKeys.CreateByKeyAsync(request.OrganizationId, request.Caller.Id, input.Name, input.Scopes, input.ExpiresAt, keyId, cancellationToken)
                .ConfigureAwait(false);
        if (!issued.IsSuccess)
        {
            return Problems.From(issued.Error);
        }

        var key = issued.Value.Key;
        return Responses.Json(new ApiKeyCreatedResponse(key.Id, issued.Value.Token, key.Name, key.Scopes, key.ExpiresAt, key.ParentKeyId), StatusCodes.Status201Created);
    }

    public async Task<IResult> ListAsync(HubRequest request, CancellationToken cancellationToken)
    {
        var page = Query.Page(request.Request);
        if (!page.IsSuccess)
        {
            return Problems.From(page.Error);
        }

        var keys = await apiKeys.ListAsync(request.OrganizationId, cancellationToken).ConfigureAwait(false);
        return Responses.Page(page.Value.Apply(keys.OrderBy(k => k.CreatedAt).ToList()), ApiKeyResponse.From);
    }

    public async Task<IResult> RevokeAsync(HubRequest request, CancellationToken cancellationToken)
    {
        var revoked = await apiKeys.RevokeAsync(request.OrganizationId, request.Values.Required("keyId"),
            new ApiKeyActor(request.Caller.Kind.ToString(), request.Caller.Id), cancellationToken).ConfigureAwait(false);
        return revoked.IsSuccess ? Results.NoContent() : Problems.From(revoked.Error);
    }
}
