using Integrations.Api.ApiKeys;
using Integrations.Api.Pipeline;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Integrations.Functions;

/// <summary>An organization's API keys: one function per entry of <see cref="ApiKeyRoutes"/>, each handing its request to the pipeline.</summary>
public sealed class ApiKeyFunctions(RequestPipeline pipeline)
{
    [Function("CreateApiKey")]
    public Task<IResult> CreateApiKey(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/orgs/{orgId}/api-keys")] HttpRequest request, string orgId) =>
        pipeline.RunAsync(request.HttpContext, ApiKeyRoutes.Create, orgId);

    [Function("ListApiKeys")]
    public Task<IResult> ListApiKeys(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/orgs/{orgId}/api-keys")] HttpRequest request, string orgId) =>
        pipeline.RunAsync(request.HttpContext, ApiKeyRoutes.List, orgId);

    [Function("RevokeApiKey")]
    public Task<IResult> RevokeApiKey(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "v1/orgs/{orgId}/api-keys/{keyId}")] HttpRequest request, string orgId, string keyId) =>
        pipeline.RunAsync(request.HttpContext, ApiKeyRoutes.Revoke, orgId, keyId);
}
