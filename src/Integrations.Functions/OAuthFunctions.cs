using Integrations.Api.Pipeline;
using Integrations.Api.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Integrations.Functions;

/// <summary>OAuth browser flows: one function per entry of OAuthRoutes, each handing its request to the route named like itself.</summary>
public sealed class OAuthFunctions(RequestPipeline pipeline)
{
    [Function("StartOAuth")]
    public Task<IResult> StartOAuth(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/oauth/start")] HttpRequest request, FunctionContext function) =>
        pipeline.RunAsync(request.HttpContext, ApiRoutes.Named(function.FunctionDefinition.Name));

    [Function("GetOAuthSettings")]
    public Task<IResult> GetOAuthSettings(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/projects/{projectId}/oauth/settings")] HttpRequest request, string projectId, FunctionContext function) =>
        pipeline.RunAsync(request.HttpContext, ApiRoutes.Named(function.FunctionDefinition.Name), projectId);

    [Function("SetOAuthSettings")]
    public Task<IResult> SetOAuthSettings(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "v1/projects/{projectId}/oauth/settings")] HttpRequest request, string projectId, FunctionContext function) =>
        pipeline.RunAsync(request.HttpContext, ApiRoutes.Named(function.FunctionDefinition.Name), projectId);
}
