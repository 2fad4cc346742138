using Integrations.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Integrations.Functions;

/// <summary>An organization's projects; see <see cref="ProjectEndpoints"/>.</summary>
public sealed class ProjectFunctions(ProjectEndpoints endpoints)
{
    [Function("CreateProject")]
    public Task<IResult> CreateProject([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/projects")] HttpRequest request) =>
        endpoints.CreateAsync(request.HttpContext);

    [Function("ListProjects")]
    public Task<IResult> ListProjects([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/projects")] HttpRequest request) =>
        endpoints.ListAsync(request.HttpContext);
}
