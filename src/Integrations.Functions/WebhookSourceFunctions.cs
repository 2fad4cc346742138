using Integrations.Api.Pipeline;
using Integrations.Api.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Integrations.Functions;

/// <summary>A project's webhook sources: one function per entry of WebhookSourceRoutes, each handing its request to the route named like itself.</summary>
public sealed class WebhookSourceFunctions(RequestPipeline pipeline)
{
    [Function("CreateWebhookSource")]
    public Task<IResult> CreateWebhookSource(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/projects/{projectId}/webhook-sources")] HttpRequest request, string projectId, FunctionContext function) =>
        pipeline.RunAsync(request.HttpContext, ApiRoutes.Named(function.FunctionDefinition.Name), projectId);

    [Function("ListWebhookSources")]
    public Task<IResult> ListWebhookSources(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/projects/{projectId}/webhook-sources")] HttpRequest request, string projectId, FunctionContext function) =>
        pipeline.RunAsync(request.HttpContext, ApiRoutes.Named(function.FunctionDefinition.Name), projectId);

    [Function("GetWebhookSource")]
    public Task<IResult> GetWebhookSource(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/projects/{projectId}/webhook-sources/{sourceId}")] HttpRequest request, string projectId,
        string sourceId, FunctionContext function) =>
        pipeline.RunAsync(request.HttpContext, ApiRoutes.Named(function.FunctionDefinition.Name), projectId, sourceId);

    [Function("PatchWebhookSource")]
    public Task<IResult> PatchWebhookSource(
        [HttpTrigger(AuthorizationLevel.Anonymous, "patch", Route = "v1/projects/{projectId}/webhook-sources/{sourceId}")] HttpRequest request, string projectId,
        string sourceId, FunctionContext function) =>
        pipeline.RunAsync(request.HttpContext, ApiRoutes.Named(function.FunctionDefinition.Name), projectId, sourceId);

    [Function("DeleteWebhookSource")]
    public Task<IResult> DeleteWebhookSource(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "v1/projects/{projectId}/webhook-sources/{sourceId}")] HttpRequest request, string projectId,
        string sourceId, FunctionContext function) =>
        pipeline.RunAsync(request.HttpContext, ApiRoutes.Named(function.FunctionDefinition.Name), projectId, sourceId);

    [Function("AddWebhookSourceSecret")]
    public Task<IResult> AddWebhookSourceSecret(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/projects/{projectId}/webhook-sources/{sourceId}/secrets")] HttpRequest request, string projectId,
        string sourceId, FunctionContext function) =>
        pipeline.RunAsync(request.HttpContext, ApiRoutes.Named(function.FunctionDefinition.Name), projectId, sourceId);

    [Function("GetWebhookSourceStats")]
    public Task<IResult> GetWebhookSourceStats(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/projects/{projectId}/webhook-sources/{sourceId}/stats")] HttpRequest request, string projectId,
        string sourceId, FunctionContext function) =>
        pipeline.RunAsync(request.HttpContext, ApiRoutes.Named(function.FunctionDefinition.Name), projectId, sourceId);
}
