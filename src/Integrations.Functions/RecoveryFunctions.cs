using Integrations.Api.Pipeline;
using Integrations.Api.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Integrations.Functions;

/// <summary>Email verification and password reset: one function per entry of RecoveryRoutes, each handing its request to the route named like itself.</summary>
public sealed class RecoveryFunctions(RequestPipeline pipeline)
{
    [Function("VerifyEmail")]
    public Task<IResult> VerifyEmail(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/auth/verify")] HttpRequest request, FunctionContext function) =>
        pipeline.RunAsync(request.HttpContext, ApiRoutes.Named(function.FunctionDefinition.Name));

    [Function("RequestPasswordReset")]
    public Task<IResult> RequestPasswordReset(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/auth/password-reset")] HttpRequest request, FunctionContext function) =>
        pipeline.RunAsync(request.HttpContext, ApiRoutes.Named(function.FunctionDefinition.Name));

    [Function("ConfirmPasswordReset")]
    public Task<IResult> ConfirmPasswordReset(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/auth/password-reset/confirm")] HttpRequest request, FunctionContext function) =>
        pipeline.RunAsync(request.HttpContext, ApiRoutes.Named(function.FunctionDefinition.Name));
}
