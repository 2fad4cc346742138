using Integrations.Api.Pipeline;
using Integrations.Api.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Integrations.Functions;

/// <summary>The access-token signing keys' JWKS: the one entry of JwksRoutes, handing its request to the route named like itself.</summary>
public sealed class JwksFunctions(RequestPipeline pipeline)
{
    [Function("Jwks")]
    public Task<IResult> Jwks(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ".well-known/jwks.json")] HttpRequest request, FunctionContext function) =>
        pipeline.RunAsync(request.HttpContext, ApiRoutes.Named(function.FunctionDefinition.Name));
}
