using Integrations.Api.Pipeline;
using Integrations.Api.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Integrations.Functions;

/// <summary>
/// A connection's proxy and test request: one function per entry of ProxyRoutes. The proxy's trigger lists no methods
/// (every method) and hands over the ASP.NET Core request itself, whose raw target the proxy reads: the catch-all
/// <c>path</c> value is decoded and must not be used to build the upstream URL.
/// </summary>
public sealed class ProxyFunctions(RequestPipeline pipeline)
{
    [Function("ProxyConnection")]
    public Task<IResult> ProxyConnection(
        [HttpTrigger(AuthorizationLevel.Anonymous, Route = "v1/projects/{projectId}/connections/{connectionId}/proxy/{*path}")] HttpRequest request,
        string projectId, string connectionId, FunctionContext function) =>
        pipeline.RunAsync(request.HttpContext, ApiRoutes.Named(function.FunctionDefinition.Name), projectId, connectionId);

    [Function("TestConnection")]
    public Task<IResult> TestConnection(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/projects/{projectId}/connections/{connectionId}/test")] HttpRequest request, string projectId,
        string connectionId, FunctionContext function) =>
        pipeline.RunAsync(request.HttpContext, ApiRoutes.Named(function.FunctionDefinition.Name), projectId, connectionId);
}
