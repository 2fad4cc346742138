using Integrations.Api.Pipeline;
using Integrations.Api.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Integrations.Functions;

/// <summary>An endpoint's deliveries (recover, attempts, stats): one function per entry of DeliveryRoutes.</summary>
public sealed class DeliveryFunctions(RequestPipeline pipeline)
{
    [Function("RecoverWebhookEndpoint")]
    public Task<IResult> RecoverWebhookEndpoint(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/projects/{projectId}/webhook-endpoints/{endpointId}/recover")] HttpRequest request,
        string projectId, string endpointId, FunctionContext function) =>
        pipeline.RunAsync(request.HttpContext, ApiRoutes.Named(function.FunctionDefinition.Name), projectId, endpointId);

    [Function("ListWebhookEndpointAttempts")]
    public Task<IResult> ListWebhookEndpointAttempts(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/projects/{projectId}/webhook-endpoints/{endpointId}/attempts")] HttpRequest request,
        string projectId, string endpointId, FunctionContext function) =>
        pipeline.RunAsync(request.HttpContext, ApiRoutes.Named(function.FunctionDefinition.Name), projectId, endpointId);

    [Function("GetWebhookEndpointStats")]
    public Task<IResult> GetWebhookEndpointStats(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/projects/{projectId}/webhook-endpoints/{endpointId}/stats")] HttpRequest request,
        string projectId, string endpointId, FunctionContext function) =>
        pipeline.RunAsync(request.HttpContext, ApiRoutes.Named(function.FunctionDefinition.Name), projectId, endpointId);
}
