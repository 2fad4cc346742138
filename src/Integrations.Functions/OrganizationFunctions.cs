using Integrations.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Integrations.Functions;

/// <summary>Organizations; see <see cref="OrganizationEndpoints"/>.</summary>
public sealed class OrganizationFunctions(OrganizationEndpoints endpoints)
{
    [Function("CreateOrganization")]
    public Task<IResult> CreateOrganization([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/orgs")] HttpRequest request) =>
        endpoints.CreateAsync(request.HttpContext);
}
