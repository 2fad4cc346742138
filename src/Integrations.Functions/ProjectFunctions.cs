using Integrations.Api.Pipeline;
using Integrations.Api.Projects;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Integrations.Functions;

/// <summary>An organization's projects: one function per entry of <see cref="ProjectRoutes"/>, each handing its request to the pipeline.</summary>
public sealed class ProjectFunctions(RequestPipeline pipeline)
{
    [Function("CreateProject")]
    public Task<IResult> CreateProject(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/projects")] HttpRequest request) =>
        pipeline.RunAsync(request.HttpContext, ProjectRoutes.Create);

    [Function("ListProjects")]
    public Task<IResult> ListProjects(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/projects")] HttpRequest request) =>
        pipeline.RunAsync(request.HttpContext, ProjectRoutes.List);
}
