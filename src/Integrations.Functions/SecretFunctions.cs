using Integrations.Api.Pipeline;
using Integrations.Api.Secrets;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Integrations.Functions;

/// <summary>A project's secrets: one function per entry of <see cref="SecretRoutes"/>, each handing its request to the pipeline.</summary>
public sealed class SecretFunctions(RequestPipeline pipeline)
{
    [Function("CreateSecret")]
    public Task<IResult> CreateSecret(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/projects/{projectId}/secrets")] HttpRequest request, string projectId) =>
        pipeline.RunAsync(request.HttpContext, SecretRoutes.Create, projectId);

    [Function("ListSecrets")]
    public Task<IResult> ListSecrets(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/projects/{projectId}/secrets")] HttpRequest request, string projectId) =>
        pipeline.RunAsync(request.HttpContext, SecretRoutes.List, projectId);

    [Function("GetSecret")]
    public Task<IResult> GetSecret(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/projects/{projectId}/secrets/{name}")] HttpRequest request, string projectId, string name) =>
        pipeline.RunAsync(request.HttpContext, SecretRoutes.Get, projectId, name);

    [Function("SecretExists")]
    public Task<IResult> SecretExists(
        [HttpTrigger(AuthorizationLevel.Anonymous, "head", Route = "v1/projects/{projectId}/secrets/{name}")] HttpRequest request, string projectId, string name) =>
        pipeline.RunAsync(request.HttpContext, SecretRoutes.Exists, projectId, name);

    [Function("UpdateSecret")]
    public Task<IResult> UpdateSecret(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "v1/projects/{projectId}/secrets/{name}")] HttpRequest request, string projectId, string name) =>
        pipeline.RunAsync(request.HttpContext, SecretRoutes.Update, projectId, name);

    [Function("DeleteSecret")]
    public Task<IResult> DeleteSecret(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "v1/projects/{projectId}/secrets/{name}")] HttpRequest request, string projectId, string name) =>
        pipeline.RunAsync(request.HttpContext, SecretRoutes.Delete, projectId, name);

    [Function("RevealSecret")]
    public Task<IResult> RevealSecret(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/projects/{projectId}/secrets/{name}/reveal")] HttpRequest request, string projectId, string name) =>
        pipeline.RunAsync(request.HttpContext, SecretRoutes.Reveal, projectId, name);

    [Function("ListSecretVersions")]
    public Task<IResult> ListSecretVersions(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/projects/{projectId}/secrets/{name}/versions")] HttpRequest request, string projectId, string name) =>
        pipeline.RunAsync(request.HttpContext, SecretRoutes.ListVersions, projectId, name);

    [Function("RestoreSecret")]
    public Task<IResult> RestoreSecret(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/projects/{projectId}/secrets/{name}/restore")] HttpRequest request, string projectId, string name) =>
        pipeline.RunAsync(request.HttpContext, SecretRoutes.Restore, projectId, name);

    [Function("PurgeSecret")]
    public Task<IResult> PurgeSecret(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/projects/{projectId}/secrets/{name}/purge")] HttpRequest request, string projectId, string name) =>
        pipeline.RunAsync(request.HttpContext, SecretRoutes.Purge, projectId, name);
}
