using Integrations.Api.Pipeline;
using Integrations.Api.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Integrations.Functions;

/// <summary>
/// The admin page's static files: one function for AdminPageRoutes' single entry. The catch-all <c>path</c> is not bound:
/// the handler reads the request path and serves only embedded files by exact name.
/// </summary>
public sealed class AdminPageFunctions(RequestPipeline pipeline)
{
    [Function("AdminPage")]
    public Task<IResult> AdminPage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "admin/{*path}")] HttpRequest request, FunctionContext function) =>
        pipeline.RunAsync(request.HttpContext, ApiRoutes.Named(function.FunctionDefinition.Name));
}
