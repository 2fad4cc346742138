using Integrations.Api.Admin;
using Integrations.Api.Pipeline;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Integrations.Functions;

/// <summary>Platform administration (key rotation): one function per entry of <see cref="AdminRoutes"/>, each handing its request to the pipeline.</summary>
public sealed class AdminFunctions(RequestPipeline pipeline)
{
    [Function("RotateKeys")]
    public Task<IResult> RotateKeys(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/admin/keys/rotate")] HttpRequest request) =>
        pipeline.RunAsync(request.HttpContext, AdminRoutes.RotateKeys);

    [Function("GetKeyRotation")]
    public Task<IResult> GetKeyRotation(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/admin/keys/rotations/{rotationId}")] HttpRequest request, string rotationId) =>
        pipeline.RunAsync(request.HttpContext, AdminRoutes.GetKeyRotation, rotationId);
}
