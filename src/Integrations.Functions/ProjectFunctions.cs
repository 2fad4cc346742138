using Integrations.Api.Pipeline;
using Integrations.Api.Routing;
using Integrations.Api.Projects;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Integrations.Functions;

/// <summary>An organization's projects: one function per entry of ProjectRoutes, each handing its request to the route named like itself.</summary>
public sealed class ProjectFunctions(RequestPipeline pipeline)
{
    [Function("CreateProject")]
    public Task<IResult> CreateProject(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/projects")] HttpRequest request, FunctionContext function) =>
        pipeline.RunAsync(request.HttpContext, ApiRoutes.Named(function.FunctionDefinition.Name));

    [Function("ListProjects")]
    public Task<IResult> ListProjects(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/projects")] HttpRequest request, FunctionContext function) =>
        pipeline.RunAsync(request.HttpContext, ApiRoutes.Named(function.FunctionDefinition.Name));
}
