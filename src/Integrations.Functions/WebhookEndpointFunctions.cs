using Integrations.Api.Pipeline;
using Integrations.Api.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Integrations.Functions;

/// <summary>A project's outbound webhook endpoints: one function per entry of WebhookEndpointRoutes, each handing its request to the route named like itself.</summary>
public sealed class WebhookEndpointFunctions(RequestPipeline pipeline)
{
    [Function("CreateWebhookEndpoint")]
    public Task<IResult> CreateWebhookEndpoint(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/projects/{projectId}/webhook-endpoints")] HttpRequest request, string projectId, FunctionContext function) =>
        pipeline.RunAsync(request.HttpContext, ApiRoutes.Named(function.FunctionDefinition.Name), projectId);

    [Function("ListWebhookEndpoints")]
    public Task<IResult> ListWebhookEndpoints(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/projects/{projectId}/webhook-endpoints")] HttpRequest request, string projectId, FunctionContext function) =>
        pipeline.RunAsync(request.HttpContext, ApiRoutes.Named(function.FunctionDefinition.Name), projectId);

    [Function("GetWebhookEndpoint")]
    public Task<IResult> GetWebhookEndpoint(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/projects/{projectId}/webhook-endpoints/{endpointId}")] HttpRequest request, string projectId,
        string endpointId, FunctionContext function) =>
        pipeline.RunAsync(request.HttpContext, ApiRoutes.Named(function.FunctionDefinition.Name), projectId, endpointId);

    [Function("PatchWebhookEndpoint")]
    public Task<IResult> PatchWebhookEndpoint(
        [HttpTrigger(AuthorizationLevel.Anonymous, "patch", Route = "v1/projects/{projectId}/webhook-endpoints/{endpointId}")] HttpRequest request, string projectId,
        string endpointId, FunctionContext function) =>
        pipeline.RunAsync(request.HttpContext, ApiRoutes.Named(function.FunctionDefinition.Name), projectId, endpointId);

    [Function("DeleteWebhookEndpoint")]
    public Task<IResult> DeleteWebhookEndpoint(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "v1/projects/{projectId}/webhook-endpoints/{endpointId}")] HttpRequest request, string projectId,
        string endpointId, FunctionContext function) =>
        pipeline.RunAsync(request.HttpContext, ApiRoutes.Named(function.FunctionDefinition.Name), projectId, endpointId);

    [Function("RotateWebhookEndpointSecret")]
    public Task<IResult> RotateWebhookEndpointSecret(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/projects/{projectId}/webhook-endpoints/{endpointId}/secret/rotate")] HttpRequest request,
        string projectId, string endpointId, FunctionContext function) =>
        pipeline.RunAsync(request.HttpContext, ApiRoutes.Named(function.FunctionDefinition.Name), projectId, endpointId);

    [Function("RevealWebhookEndpointSecret")]
    public Task<IResult> RevealWebhookEndpointSecret(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/projects/{projectId}/webhook-endpoints/{endpointId}/secret/reveal")] HttpRequest request,
        string projectId, string endpointId, FunctionContext function) =>
        pipeline.RunAsync(request.HttpContext, ApiRoutes.Named(function.FunctionDefinition.Name), projectId, endpointId);
}
