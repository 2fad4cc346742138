using Integrations.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Integrations.Functions;

/// <summary>Public probes and the API description; see <see cref="HealthEndpoints"/>.</summary>
public sealed class HealthFunctions(HealthEndpoints endpoints)
{
    [Function("Healthz")]
    public static IResult Healthz([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "healthz")] HttpRequest request) =>
        HealthEndpoints.Healthz();

    [Function("Readyz")]
    public Task<IResult> Readyz([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "readyz")] HttpRequest request) =>
        endpoints.ReadyzAsync(request.HttpContext);

    [Function("OpenApi")]
    public static IResult OpenApi([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "openapi.json")] HttpRequest request) =>
        HealthEndpoints.OpenApi();
}
