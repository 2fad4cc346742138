using Integrations.Api.Pipeline;
using Integrations.Api.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Integrations.Functions;

/// <summary>Organizations: one function per entry of OrganizationRoutes, each handing its request to the route named like itself.</summary>
public sealed class OrganizationFunctions(RequestPipeline pipeline)
{
    [Function("CreateOrganization")]
    public Task<IResult> CreateOrganization(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/orgs")] HttpRequest request, FunctionContext function) =>
        pipeline.RunAsync(request.HttpContext, ApiRoutes.Named(function.FunctionDefinition.Name));
}
