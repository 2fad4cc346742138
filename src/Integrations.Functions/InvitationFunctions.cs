using Integrations.Api.Pipeline;
using Integrations.Api.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Integrations.Functions;

/// <summary>Invitations: one function per entry of InvitationRoutes, each handing its request to the route named like itself.</summary>
public sealed class InvitationFunctions(RequestPipeline pipeline)
{
    [Function("CreateInvitation")]
    public Task<IResult> CreateInvitation(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/orgs/{orgId}/invitations")] HttpRequest request, string orgId, FunctionContext function) =>
        pipeline.RunAsync(request.HttpContext, ApiRoutes.Named(function.FunctionDefinition.Name), orgId);

    [Function("ListInvitations")]
    public Task<IResult> ListInvitations(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/orgs/{orgId}/invitations")] HttpRequest request, string orgId, FunctionContext function) =>
        pipeline.RunAsync(request.HttpContext, ApiRoutes.Named(function.FunctionDefinition.Name), orgId);

    [Function("RevokeInvitation")]
    public Task<IResult> RevokeInvitation(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "v1/orgs/{orgId}/invitations/{invitationId}")] HttpRequest request, string orgId, string invitationId,
        FunctionContext function) =>
        pipeline.RunAsync(request.HttpContext, ApiRoutes.Named(function.FunctionDefinition.Name), orgId, invitationId);

    [Function("AcceptInvitation")]
    public Task<IResult> AcceptInvitation(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/invitations/accept")] HttpRequest request, FunctionContext function) =>
        pipeline.RunAsync(request.HttpContext, ApiRoutes.Named(function.FunctionDefinition.Name));
}
