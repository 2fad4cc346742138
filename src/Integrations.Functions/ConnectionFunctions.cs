using Integrations.Api.Pipeline;
using Integrations.Api.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Integrations.Functions;

/// <summary>A project's connections: one function per entry of ConnectionRoutes, each handing its request to the route named like itself.</summary>
public sealed class ConnectionFunctions(RequestPipeline pipeline)
{
    [Function("CreateConnection")]
    public Task<IResult> CreateConnection(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/projects/{projectId}/connections")] HttpRequest request, string projectId, FunctionContext function) =>
        pipeline.RunAsync(request.HttpContext, ApiRoutes.Named(function.FunctionDefinition.Name), projectId);

    [Function("ListConnections")]
    public Task<IResult> ListConnections(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/projects/{projectId}/connections")] HttpRequest request, string projectId, FunctionContext function) =>
        pipeline.RunAsync(request.HttpContext, ApiRoutes.Named(function.FunctionDefinition.Name), projectId);

    [Function("GetConnection")]
    public Task<IResult> GetConnection(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/projects/{projectId}/connections/{connectionId}")] HttpRequest request, string projectId,
        string connectionId, FunctionContext function) =>
        pipeline.RunAsync(request.HttpContext, ApiRoutes.Named(function.FunctionDefinition.Name), projectId, connectionId);

    [Function("PatchConnection")]
    public Task<IResult> PatchConnection(
        [HttpTrigger(AuthorizationLevel.Anonymous, "patch", Route = "v1/projects/{projectId}/connections/{connectionId}")] HttpRequest request, string projectId,
        string connectionId, FunctionContext function) =>
        pipeline.RunAsync(request.HttpContext, ApiRoutes.Named(function.FunctionDefinition.Name), projectId, connectionId);

    [Function("DeleteConnection")]
    public Task<IResult> DeleteConnection(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "v1/projects/{projectId}/connections/{connectionId}")] HttpRequest request, string projectId,
        string connectionId, FunctionContext function) =>
        pipeline.RunAsync(request.HttpContext, ApiRoutes.Named(function.FunctionDefinition.Name), projectId, connectionId);

    [Function("GetConnectionStatus")]
    public Task<IResult> GetConnectionStatus(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/projects/{projectId}/connections/{connectionId}/status")] HttpRequest request, string projectId,
        string connectionId, FunctionContext function) =>
        pipeline.RunAsync(request.HttpContext, ApiRoutes.Named(function.FunctionDefinition.Name), projectId, connectionId);
}
