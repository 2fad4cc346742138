using Integrations.Api.Pipeline;
using Integrations.Api.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Integrations.Functions;

/// <summary>An organization's members: one function per entry of MemberRoutes, each handing its request to the route named like itself.</summary>
public sealed class MemberFunctions(RequestPipeline pipeline)
{
    [Function("ListMembers")]
    public Task<IResult> ListMembers(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/orgs/{orgId}/members")] HttpRequest request, string orgId, FunctionContext function) =>
        pipeline.RunAsync(request.HttpContext, ApiRoutes.Named(function.FunctionDefinition.Name), orgId);

    [Function("AddMember")]
    public Task<IResult> AddMember(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/orgs/{orgId}/members")] HttpRequest request, string orgId, FunctionContext function) =>
        pipeline.RunAsync(request.HttpContext, ApiRoutes.Named(function.FunctionDefinition.Name), orgId);

    [Function("ChangeMember")]
    public Task<IResult> ChangeMember(
        [HttpTrigger(AuthorizationLevel.Anonymous, "patch", Route = "v1/orgs/{orgId}/members/{userId}")] HttpRequest request, string orgId, string userId, FunctionContext function) =>
        pipeline.RunAsync(request.HttpContext, ApiRoutes.Named(function.FunctionDefinition.Name), orgId, userId);

    [Function("RemoveMember")]
    public Task<IResult> RemoveMember(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "v1/orgs/{orgId}/members/{userId}")] HttpRequest request, string orgId, string userId, FunctionContext function) =>
        pipeline.RunAsync(request.HttpContext, ApiRoutes.Named(function.FunctionDefinition.Name), orgId, userId);
}
