using Integrations.Api.Authentication;
using Integrations.Api.Http;
using Integrations.Core.Audit;
using Integrations.Core.Common;
using Integrations.Core.Identity;
using Microsoft.AspNetCore.Http;

namespace Integrations.Api;

/// <summary>An organization's API keys. The key itself is returned once, at creation; lists show a hint only.</summary>
public sealed class ApiKeyEndpoints(EndpointRunner runner, ApiKeyService apiKeys)
{
    public Task<IResult> CreateAsync(HttpContext context, string orgId) =>
        runner.RunAsync(context, AuditActions.ApiKeyCreate, Access.OrganizationAdmin, async (caller, audit, ct) =>
        {
            if (caller.OrganizationId != orgId)
            {
                return Problems.From(HubError.NotFound("organization"));
            }

            var body = await JsonBody.ReadAsync<CreateApiKeyRequest>(context.Request).ConfigureAwait(false);
            if (!body.IsSuccess)
            {
                return Problems.From(body.Error!);
            }

            var request = body.Value!;
            var issued = await apiKeys.CreateAsync(orgId, request.Name, request.Scopes, request.ExpiresAt, caller.Id, ct).ConfigureAwait(false);
            if (!issued.IsSuccess)
            {
                return Problems.From(issued.Error!);
            }

            var key = issued.Value!.Key;
            audit.Target = $"apikey/{key.Id}";
            return Responses.Json(new ApiKeyCreatedResponse(key.Id, issued.Value.Token, key.Name, key.Scopes, key.ExpiresAt), StatusCodes.Status201Created);
        }, new RequestAudit { OrganizationId = orgId });

    public Task<IResult> ListAsync(HttpContext context, string orgId) =>
        runner.RunAsync(context, AuditActions.ApiKeyList, Access.OrganizationAdmin, async (caller, audit, ct) =>
        {
            if (caller.OrganizationId != orgId)
            {
                return Problems.From(HubError.NotFound("organization"));
            }

            var page = Query.Page(context.Request);
            if (!page.IsSuccess)
            {
                return Problems.From(page.Error!);
            }

            var keys = await apiKeys.ListAsync(orgId, ct).ConfigureAwait(false);
            return Responses.Page(page.Value.Apply(keys.OrderBy(k => k.CreatedAt).ToList()), Responses.ApiKey);
        }, new RequestAudit { OrganizationId = orgId });

    public Task<IResult> RevokeAsync(HttpContext context, string orgId, string keyId) =>
        runner.RunAsync(context, AuditActions.ApiKeyRevoke, Access.OrganizationAdmin, async (caller, audit, ct) =>
        {
            if (caller.OrganizationId != orgId)
            {
                return Problems.From(HubError.NotFound("organization"));
            }

            var revoked = await apiKeys.RevokeAsync(orgId, keyId, ct).ConfigureAwait(false);
            return revoked.IsSuccess ? Results.NoContent() : Problems.From(revoked.Error!);
        }, new RequestAudit { OrganizationId = orgId, Target = Ids.IsValid("key", keyId) ? $"apikey/{keyId}" : "apikey/(invalid id)" });
}
