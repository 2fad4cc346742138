using Integrations.Api.Health;
using Integrations.Api.Pipeline;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Integrations.Functions;

/// <summary>Public probes and the API description: one function per entry of <see cref="HealthRoutes"/>, each handing its request to the pipeline.</summary>
public sealed class HealthFunctions(RequestPipeline pipeline)
{
    [Function("Healthz")]
    public Task<IResult> Healthz(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "healthz")] HttpRequest request) =>
        pipeline.RunAsync(request.HttpContext, HealthRoutes.Healthz);

    [Function("Readyz")]
    public Task<IResult> Readyz(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "readyz")] HttpRequest request) =>
        pipeline.RunAsync(request.HttpContext, HealthRoutes.Readyz);

    [Function("OpenApi")]
    public Task<IResult> OpenApi(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "openapi.json")] HttpRequest request) =>
        pipeline.RunAsync(request.HttpContext, HealthRoutes.OpenApi);
}
