using Integrations.Api.Organizations;
using Integrations.Api.Pipeline;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Integrations.Functions;

/// <summary>Organizations: one function per entry of <see cref="OrganizationRoutes"/>, each handing its request to the pipeline.</summary>
public sealed class OrganizationFunctions(RequestPipeline pipeline)
{
    [Function("CreateOrganization")]
    public Task<IResult> CreateOrganization(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/orgs")] HttpRequest request) =>
        pipeline.RunAsync(request.HttpContext, OrganizationRoutes.Create);
}
