using Integrations.Api.Pipeline;
using Integrations.Api.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Integrations.Functions;

/// <summary>The platform admin's user operations: one function per entry of AdminUserRoutes, each handing its request to the route named like itself.</summary>
public sealed class AdminUserFunctions(RequestPipeline pipeline)
{
    [Function("AdminListUsers")]
    public Task<IResult> AdminListUsers(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/admin/users")] HttpRequest request, FunctionContext function) =>
        pipeline.RunAsync(request.HttpContext, ApiRoutes.Named(function.FunctionDefinition.Name));

    [Function("AdminUnlockUser")]
    public Task<IResult> AdminUnlockUser(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/admin/users/{userId}/unlock")] HttpRequest request, string userId, FunctionContext function) =>
        pipeline.RunAsync(request.HttpContext, ApiRoutes.Named(function.FunctionDefinition.Name), userId);

    [Function("AdminVerifyUser")]
    public Task<IResult> AdminVerifyUser(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/admin/users/{userId}/verify")] HttpRequest request, string userId, FunctionContext function) =>
        pipeline.RunAsync(request.HttpContext, ApiRoutes.Named(function.FunctionDefinition.Name), userId);

    [Function("AdminLogoutUser")]
    public Task<IResult> AdminLogoutUser(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/admin/users/{userId}/logout")] HttpRequest request, string userId, FunctionContext function) =>
        pipeline.RunAsync(request.HttpContext, ApiRoutes.Named(function.FunctionDefinition.Name), userId);

    [Function("AdminResetUserPassword")]
    public Task<IResult> AdminResetUserPassword(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/admin/users/{userId}/password")] HttpRequest request, string userId, FunctionContext function) =>
        pipeline.RunAsync(request.HttpContext, ApiRoutes.Named(function.FunctionDefinition.Name), userId);

    [Function("AdminDeleteUser")]
    public Task<IResult> AdminDeleteUser(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "v1/admin/users/{userId}")] HttpRequest request, string userId, FunctionContext function) =>
        pipeline.RunAsync(request.HttpContext, ApiRoutes.Named(function.FunctionDefinition.Name), userId);
}
