using Integrations.Api.Http;
using Integrations.Api.Pipeline;
using Integrations.Core.Common;
using Integrations.Core.Tenancy;
using Microsoft.AspNetCore.Http;

namespace Integrations.Api.Organizations;

/// <summary>Organizations (tenants): created by the platform admin, with their first owner key.</summary>
public sealed class OrganizationEndpoints(TenancyService tenancy)
{
    public async Task<IResult> CreateAsync(HubRequest request, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync<CreateOrganizationRequest>(request.Request).ConfigureAwait(false);
        if (!body.IsSuccess)
        {
            return Problems.From(body.Error);
        }

        var organizationId = Ids.New("org");
        if (!await request.BeginChangeAsync($"org/{organizationId}").ConfigureAwait(false))
        {
            return ApiProblems.AuditUnavailable();
        }

        var created = await tenancy.CreateOrganizationAsync(body.Value.Name, request.Caller.Id, organizationId, cancellationToken).ConfigureAwait(false);
        if (!created.IsSuccess)
        {
            return Problems.From(created.Error);
        }

        var (organization, ownerKey) = created.Value;
        return Responses.Json(new OrganizationCreatedResponse(organization.Id, organization.Name, ownerKey.Token, ownerKey.Key.Id, organization.CreatedAt, ownerKey.Key.ExpiresAt),
            StatusCodes.Status201Created);
    }
}
