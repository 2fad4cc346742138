using Integrations.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Integrations.Functions;

/// <summary>A project's audit log; see <see cref="AuditEndpoints"/>.</summary>
public sealed class AuditFunctions(AuditEndpoints endpoints)
{
    [Function("QueryAudit")]
    public Task<IResult> QueryAudit(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/projects/{projectId}/audit")] HttpRequest request, string projectId) =>
        endpoints.QueryAsync(request.HttpContext, projectId);
}
