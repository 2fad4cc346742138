using Integrations.Api.Pipeline;
using Integrations.Api.Routing;
using Integrations.Api.Secrets;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Integrations.Functions;

/// <summary>A project's secrets: one function per entry of SecretRoutes, each handing its request to the route named like itself.</summary>
public sealed class SecretFunctions(RequestPipeline pipeline)
{
    [Function("CreateSecret")]
    public Task<IResult> CreateSecret(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/projects/{projectId}/secrets")] HttpRequest request, string projectId, FunctionContext function) =>
        pipeline.RunAsync(request.HttpContext, ApiRoutes.Named(function.FunctionDefinition.Name), projectId);

    [Function("ListSecrets")]
    public Task<IResult> ListSecrets(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/projects/{projectId}/secrets")] HttpRequest request, string projectId, FunctionContext function) =>
        pipeline.RunAsync(request.HttpContext, ApiRoutes.Named(function.FunctionDefinition.Name), projectId);

    [Function("GetSecret")]
    public Task<IResult> GetSecret(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/projects/{projectId}/secrets/{name}")] HttpRequest request, string projectId, string name, FunctionContext function) =>
        pipeline.RunAsync(request.HttpContext, ApiRoutes.Named(function.FunctionDefinition.Name), projectId, name);

    [Function("SecretExists")]
    public Task<IResult> SecretExists(
        [HttpTrigger(AuthorizationLevel.Anonymous, "head", Route = "v1/projects/{projectId}/secrets/{name}")] HttpRequest request, string projectId, string name, FunctionContext function) =>
        pipeline.RunAsync(request.HttpContext, ApiRoutes.Named(function.FunctionDefinition.Name), projectId, name);

    [Function("UpdateSecret")]
    public Task<IResult> UpdateSecret(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "v1/projects/{projectId}/secrets/{name}")] HttpRequest request, string projectId, string name, FunctionContext function) =>
        pipeline.RunAsync(request.HttpContext, ApiRoutes.Named(function.FunctionDefinition.Name), projectId, name);

    [Function("DeleteSecret")]
    public Task<IResult> DeleteSecret(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "v1/projects/{projectId}/secrets/{name}")] HttpRequest request, string projectId, string name, FunctionContext function) =>
        pipeline.RunAsync(request.HttpContext, ApiRoutes.Named(function.FunctionDefinition.Name), projectId, name);

    [Function("RevealSecret")]
    public Task<IResult> RevealSecret(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/projects/{projectId}/secrets/{name}/reveal")] HttpRequest request, string projectId, string name, FunctionContext function) =>
        pipeline.RunAsync(request.HttpContext, ApiRoutes.Named(function.FunctionDefinition.Name), projectId, name);

    [Function("ListSecretVersions")]
    public Task<IResult> ListSecretVersions(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/projects/{projectId}/secrets/{name}/versions")] HttpRequest request, string projectId, string name, FunctionContext function) =>
        pipeline.RunAsync(request.HttpContext, ApiRoutes.Named(function.FunctionDefinition.Name), projectId, name);

    [Function("RestoreSecret")]
    public Task<IResult> RestoreSecret(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/projects/{projectId}/secrets/{name}/restore")] HttpRequest request, string projectId, string name, FunctionContext function) =>
        pipeline.RunAsync(request.HttpContext, ApiRoutes.Named(function.FunctionDefinition.Name), projectId, name);

    [Function("PurgeSecret")]
    public Task<IResult> PurgeSecret(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/projects/{projectId}/secrets/{name}/purge")] HttpRequest request, string projectId, string name, FunctionContext function) =>
        pipeline.RunAsync(request.HttpContext, ApiRoutes.Named(function.FunctionDefinition.Name), projectId, name);

    [Function("PatchSecret")]
    public Task<IResult> PatchSecret(
        [HttpTrigger(AuthorizationLevel.Anonymous, "patch", Route = "v1/projects/{projectId}/secrets/{name}")] HttpRequest request, string projectId, string name, FunctionContext function) =>
        pipeline.RunAsync(request.HttpContext, ApiRoutes.Named(function.FunctionDefinition.Name), projectId, name);

    [Function("GetSecretById")]
    public Task<IResult> GetSecretById(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/projects/{projectId}/secrets/by-id/{secretId}")] HttpRequest request, string projectId, string secretId,
        FunctionContext function) =>
        pipeline.RunAsync(request.HttpContext, ApiRoutes.Named(function.FunctionDefinition.Name), projectId, secretId);

    [Function("SecretExistsById")]
    public Task<IResult> SecretExistsById(
        [HttpTrigger(AuthorizationLevel.Anonymous, "head", Route = "v1/projects/{projectId}/secrets/by-id/{secretId}")] HttpRequest request, string projectId, string secretId,
        FunctionContext function) =>
        pipeline.RunAsync(request.HttpContext, ApiRoutes.Named(function.FunctionDefinition.Name), projectId, secretId);

    [Function("UpdateSecretById")]
    public Task<IResult> UpdateSecretById(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "v1/projects/{projectId}/secrets/by-id/{secretId}")] HttpRequest request, string projectId, string secretId,
        FunctionContext function) =>
        pipeline.RunAsync(request.HttpContext, ApiRoutes.Named(function.FunctionDefinition.Name), projectId, secretId);

    [Function("PatchSecretById")]
    public Task<IResult> PatchSecretById(
        [HttpTrigger(AuthorizationLevel.Anonymous, "patch", Route = "v1/projects/{projectId}/secrets/by-id/{secretId}")] HttpRequest request, string projectId, string secretId,
        FunctionContext function) =>
        pipeline.RunAsync(request.HttpContext, ApiRoutes.Named(function.FunctionDefinition.Name), projectId, secretId);

    [Function("DeleteSecretById")]
    public Task<IResult> DeleteSecretById(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "v1/projects/{projectId}/secrets/by-id/{secretId}")] HttpRequest request, string projectId, string secretId,
        FunctionContext function) =>
        pipeline.RunAsync(request.HttpContext, ApiRoutes.Named(function.FunctionDefinition.Name), projectId, secretId);

    [Function("RevealSecretById")]
    public Task<IResult> RevealSecretById(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/projects/{projectId}/secrets/by-id/{secretId}/reveal")] HttpRequest request, string projectId,
        string secretId, FunctionContext function) =>
        pipeline.RunAsync(request.HttpContext, ApiRoutes.Named(function.FunctionDefinition.Name), projectId, secretId);
}
