using Integrations.Api.Pipeline;
using Integrations.Api.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Integrations.Functions;

/// <summary>The connect flows: one function per entry of ConnectRoutes, each handing its request to the route named like itself.</summary>
public sealed class ConnectFunctions(RequestPipeline pipeline)
{
    [Function("AuthorizeConnection")]
    public Task<IResult> AuthorizeConnection(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/projects/{projectId}/connections/{connectionId}/authorize")] HttpRequest request,
        string projectId, string connectionId, FunctionContext function) =>
        pipeline.RunAsync(request.HttpContext, ApiRoutes.Named(function.FunctionDefinition.Name), projectId, connectionId);

    [Function("OAuthCallback")]
    public Task<IResult> OAuthCallback(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/oauth/callback")] HttpRequest request, FunctionContext function) =>
        pipeline.RunAsync(request.HttpContext, ApiRoutes.Named(function.FunctionDefinition.Name));

    [Function("StartDeviceAuthorization")]
    public Task<IResult> StartDeviceAuthorization(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/projects/{projectId}/connections/{connectionId}/device")] HttpRequest request,
        string projectId, string connectionId, FunctionContext function) =>
        pipeline.RunAsync(request.HttpContext, ApiRoutes.Named(function.FunctionDefinition.Name), projectId, connectionId);

    [Function("GrantConnection")]
    public Task<IResult> GrantConnection(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/projects/{projectId}/connections/{connectionId}/grant")] HttpRequest request,
        string projectId, string connectionId, FunctionContext function) =>
        pipeline.RunAsync(request.HttpContext, ApiRoutes.Named(function.FunctionDefinition.Name), projectId, connectionId);
}
