using Integrations.Api.Pipeline;
using Integrations.Api.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Integrations.Functions;

/// <summary>Social login and social connections: one function per entry of SocialRoutes, each handing its request to the route named like itself.</summary>
public sealed class SocialFunctions(RequestPipeline pipeline)
{
    [Function("SocialLogin")]
    public Task<IResult> SocialLogin(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/auth/social-login")] HttpRequest request, FunctionContext function) =>
        pipeline.RunAsync(request.HttpContext, ApiRoutes.Named(function.FunctionDefinition.Name));

    [Function("ListSocialConnections")]
    public Task<IResult> ListSocialConnections(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/me/social-connections")] HttpRequest request, FunctionContext function) =>
        pipeline.RunAsync(request.HttpContext, ApiRoutes.Named(function.FunctionDefinition.Name));

    [Function("DeleteSocialConnection")]
    public Task<IResult> DeleteSocialConnection(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "v1/me/social-connections/{provider}")] HttpRequest request, FunctionContext function) =>
        pipeline.RunAsync(request.HttpContext, ApiRoutes.Named(function.FunctionDefinition.Name));
}
