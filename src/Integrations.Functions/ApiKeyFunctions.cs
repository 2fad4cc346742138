using Integrations.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Integrations.Functions;

/// <summary>An organization's API keys; see <see cref="ApiKeyEndpoints"/>.</summary>
public sealed class ApiKeyFunctions(ApiKeyEndpoints endpoints)
{
    [Function("CreateApiKey")]
    public Task<IResult> CreateApiKey(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/orgs/{orgId}/api-keys")] HttpRequest request, string orgId) =>
        endpoints.CreateAsync(request.HttpContext, orgId);

    [Function("ListApiKeys")]
    public Task<IResult> ListApiKeys(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/orgs/{orgId}/api-keys")] HttpRequest request, string orgId) =>
        endpoints.ListAsync(request.HttpContext, orgId);

    [Function("RevokeApiKey")]
    public Task<IResult> RevokeApiKey(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "v1/orgs/{orgId}/api-keys/{keyId}")] HttpRequest request, string orgId, string keyId) =>
        endpoints.RevokeAsync(request.HttpContext, orgId, keyId);
}
