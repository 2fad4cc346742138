using Integrations.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Integrations.Functions;

/// <summary>A project's secrets; see <see cref="SecretEndpoints"/>.</summary>
public sealed class SecretFunctions(SecretEndpoints endpoints)
{
    [Function("CreateSecret")]
    public Task<IResult> CreateSecret(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/projects/{projectId}/secrets")] HttpRequest request, string projectId) =>
        endpoints.CreateAsync(request.HttpContext, projectId);

    [Function("ListSecrets")]
    public Task<IResult> ListSecrets(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/projects/{projectId}/secrets")] HttpRequest request, string projectId) =>
        endpoints.ListAsync(request.HttpContext, projectId);

    [Function("GetSecret")]
    public Task<IResult> GetSecret(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/projects/{projectId}/secrets/{name}")] HttpRequest request, string projectId, string name) =>
        endpoints.GetAsync(request.HttpContext, projectId, name);

    [Function("SecretExists")]
    public Task<IResult> SecretExists(
        [HttpTrigger(AuthorizationLevel.Anonymous, "head", Route = "v1/projects/{projectId}/secrets/{name}")] HttpRequest request, string projectId, string name) =>
        endpoints.ExistsAsync(request.HttpContext, projectId, name);

    [Function("UpdateSecret")]
    public Task<IResult> UpdateSecret(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "v1/projects/{projectId}/secrets/{name}")] HttpRequest request, string projectId, string name) =>
        endpoints.UpdateAsync(request.HttpContext, projectId, name);

    [Function("DeleteSecret")]
    public Task<IResult> DeleteSecret(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "v1/projects/{projectId}/secrets/{name}")] HttpRequest request, string projectId, string name) =>
        endpoints.DeleteAsync(request.HttpContext, projectId, name);

    [Function("RevealSecret")]
    public Task<IResult> RevealSecret(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/projects/{projectId}/secrets/{name}/reveal")] HttpRequest request, string projectId, string name) =>
        endpoints.RevealAsync(request.HttpContext, projectId, name);

    [Function("ListSecretVersions")]
    public Task<IResult> ListSecretVersions(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/projects/{projectId}/secrets/{name}/versions")] HttpRequest request, string projectId, string name) =>
        endpoints.ListVersionsAsync(request.HttpContext, projectId, name);

    [Function("RestoreSecret")]
    public Task<IResult> RestoreSecret(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/projects/{projectId}/secrets/{name}/restore")] HttpRequest request, string projectId, string name) =>
        endpoints.RestoreAsync(request.HttpContext, projectId, name);

    [Function("PurgeSecret")]
    public Task<IResult> PurgeSecret(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/projects/{projectId}/secrets/{name}/purge")] HttpRequest request, string projectId, string name) =>
        endpoints.PurgeAsync(request.HttpContext, projectId, name);
}
