using Integrations.Api.Pipeline;
using Integrations.Api.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Integrations.Functions;

/// <summary>The provider template catalog and a project's OAuth providers: one function per entry of ProviderRoutes.</summary>
public sealed class ProviderFunctions(RequestPipeline pipeline)
{
    [Function("ListProviderTemplates")]
    public Task<IResult> ListProviderTemplates(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/provider-templates")] HttpRequest request, FunctionContext function) =>
        pipeline.RunAsync(request.HttpContext, ApiRoutes.Named(function.FunctionDefinition.Name));

    [Function("GetProviderTemplate")]
    public Task<IResult> GetProviderTemplate(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/provider-templates/{templateId}")] HttpRequest request, string templateId, FunctionContext function) =>
        pipeline.RunAsync(request.HttpContext, ApiRoutes.Named(function.FunctionDefinition.Name), templateId);

    [Function("CreateProvider")]
    public Task<IResult> CreateProvider(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/projects/{projectId}/providers")] HttpRequest request, string projectId, FunctionContext function) =>
        pipeline.RunAsync(request.HttpContext, ApiRoutes.Named(function.FunctionDefinition.Name), projectId);

    [Function("ListProviders")]
    public Task<IResult> ListProviders(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/projects/{projectId}/providers")] HttpRequest request, string projectId, FunctionContext function) =>
        pipeline.RunAsync(request.HttpContext, ApiRoutes.Named(function.FunctionDefinition.Name), projectId);

    [Function("GetProvider")]
    public Task<IResult> GetProvider(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/projects/{projectId}/providers/{providerId}")] HttpRequest request, string projectId, string providerId,
        FunctionContext function) =>
        pipeline.RunAsync(request.HttpContext, ApiRoutes.Named(function.FunctionDefinition.Name), projectId, providerId);

    [Function("PatchProvider")]
    public Task<IResult> PatchProvider(
        [HttpTrigger(AuthorizationLevel.Anonymous, "patch", Route = "v1/projects/{projectId}/providers/{providerId}")] HttpRequest request, string projectId, string providerId,
        FunctionContext function) =>
        pipeline.RunAsync(request.HttpContext, ApiRoutes.Named(function.FunctionDefinition.Name), projectId, providerId);

    [Function("DeleteProvider")]
    public Task<IResult> DeleteProvider(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "v1/projects/{projectId}/providers/{providerId}")] HttpRequest request, string projectId, string providerId,
        FunctionContext function) =>
        pipeline.RunAsync(request.HttpContext, ApiRoutes.Named(function.FunctionDefinition.Name), projectId, providerId);
}
