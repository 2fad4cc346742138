using Integrations.Api.Pipeline;
using Integrations.Api.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Integrations.Functions;

/// <summary>Platform administration (key rotation): one function per entry of AdminRoutes, each handing its request to the route named like itself.</summary>
public sealed class AdminFunctions(RequestPipeline pipeline)
{
    [Function("RotateKeys")]
    public Task<IResult> RotateKeys(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/admin/keys/rotate")] HttpRequest request, FunctionContext function) =>
        pipeline.RunAsync(request.HttpContext, ApiRoutes.Named(function.FunctionDefinition.Name));

    [Function("GetKeyRotation")]
    public Task<IResult> GetKeyRotation(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/admin/keys/rotations/{rotationId}")] HttpRequest request, string rotationId, FunctionContext function) =>
        pipeline.RunAsync(request.HttpContext, ApiRoutes.Named(function.FunctionDefinition.Name), rotationId);
}
