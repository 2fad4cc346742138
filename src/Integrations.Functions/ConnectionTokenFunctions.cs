using Integrations.Api.Pipeline;
using Integrations.Api.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Integrations.Functions;

/// <summary>A connection's token and revocation routes: one function per entry of ConnectionTokenRoutes, each handing its request to the route named like itself.</summary>
public sealed class ConnectionTokenFunctions(RequestPipeline pipeline)
{
    [Function("GetConnectionToken")]
    public Task<IResult> GetConnectionToken(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/projects/{projectId}/connections/{connectionId}/token")] HttpRequest request, string projectId,
        string connectionId, FunctionContext function) =>
        pipeline.RunAsync(request.HttpContext, ApiRoutes.Named(function.FunctionDefinition.Name), projectId, connectionId);

    [Function("RevokeConnection")]
    public Task<IResult> RevokeConnection(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/projects/{projectId}/connections/{connectionId}/revoke")] HttpRequest request, string projectId,
        string connectionId, FunctionContext function) =>
        pipeline.RunAsync(request.HttpContext, ApiRoutes.Named(function.FunctionDefinition.Name), projectId, connectionId);

    [Function("RevokeEndUserConnections")]
    public Task<IResult> RevokeEndUserConnections(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/projects/{projectId}/connections/revoke")] HttpRequest request, string projectId,
        FunctionContext function) =>
        pipeline.RunAsync(request.HttpContext, ApiRoutes.Named(function.FunctionDefinition.Name), projectId);
}
