using Integrations.Api.Pipeline;
using Integrations.Api.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Integrations.Functions;

/// <summary>The audit log: one function per entry of AuditRoutes, each handing its request to the route named like itself.</summary>
public sealed class AuditFunctions(RequestPipeline pipeline)
{
    [Function("QueryAudit")]
    public Task<IResult> QueryAudit(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/projects/{projectId}/audit")] HttpRequest request, string projectId, FunctionContext function) =>
        pipeline.RunAsync(request.HttpContext, ApiRoutes.Named(function.FunctionDefinition.Name), projectId);

    [Function("GetAuditRetention")]
    public Task<IResult> GetAuditRetention(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/orgs/{orgId}/audit/retention")] HttpRequest request, string orgId, FunctionContext function) =>
        pipeline.RunAsync(request.HttpContext, ApiRoutes.Named(function.FunctionDefinition.Name), orgId);

    [Function("SetAuditRetention")]
    public Task<IResult> SetAuditRetention(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "v1/orgs/{orgId}/audit/retention")] HttpRequest request, string orgId, FunctionContext function) =>
        pipeline.RunAsync(request.HttpContext, ApiRoutes.Named(function.FunctionDefinition.Name), orgId);

    [Function("QueryOrganizationAudit")]
    public Task<IResult> QueryOrganizationAudit(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/orgs/{orgId}/audit")] HttpRequest request, string orgId, FunctionContext function) =>
        pipeline.RunAsync(request.HttpContext, ApiRoutes.Named(function.FunctionDefinition.Name), orgId);
}
