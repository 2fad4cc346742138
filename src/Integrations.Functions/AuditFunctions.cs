using Integrations.Api.Audit;
using Integrations.Api.Pipeline;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Integrations.Functions;

/// <summary>A project's audit log: one function per entry of <see cref="AuditRoutes"/>, each handing its request to the pipeline.</summary>
public sealed class AuditFunctions(RequestPipeline pipeline)
{
    [Function("QueryAudit")]
    public Task<IResult> QueryAudit(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/projects/{projectId}/audit")] HttpRequest request, string projectId) =>
        pipeline.RunAsync(request.HttpContext, AuditRoutes.Query, projectId);
}
