using Integrations.Api.Authentication;
using Integrations.Api.Http;
using Integrations.Core.Audit;
using Integrations.Core.Tenancy;
using Microsoft.AspNetCore.Http;

namespace Integrations.Api;

/// <summary>Organizations (tenants): created by the platform admin, with their first owner key.</summary>
public sealed class OrganizationEndpoints(EndpointRunner runner, TenancyService tenancy)
{
    public Task<IResult> CreateAsync(HttpContext context) =>
        runner.RunAsync(context, AuditActions.OrganizationCreate, Access.Admin, async (caller, audit, ct) =>
        {
            var body = await JsonBody.ReadAsync<CreateOrganizationRequest>(context.Request).ConfigureAwait(false);
            if (!body.IsSuccess)
            {
                return Problems.From(body.Error!);
            }

            var created = await tenancy.CreateOrganizationAsync(body.Value!.Name, caller.Id, ct).ConfigureAwait(false);
            if (!created.IsSuccess)
            {
                return Problems.From(created.Error!);
            }

            var (organization, ownerKey) = created.Value;
            audit.Target = $"org/{organization.Id}";
            return Responses.Json(new OrganizationCreatedResponse(organization.Id, organization.Name, ownerKey.Token, ownerKey.Key.Id, organization.CreatedAt),
                StatusCodes.Status201Created);
        });
}
