using Integrations.Api.Pipeline;
using Integrations.Api.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Integrations.Functions;

/// <summary>A project's received webhook events: one function per entry of WebhookEventRoutes.</summary>
public sealed class WebhookEventFunctions(RequestPipeline pipeline)
{
    [Function("ListWebhookEvents")]
    public Task<IResult> ListWebhookEvents(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/projects/{projectId}/events")] HttpRequest request, string projectId, FunctionContext function) =>
        pipeline.RunAsync(request.HttpContext, ApiRoutes.Named(function.FunctionDefinition.Name), projectId);

    [Function("GetWebhookEvent")]
    public Task<IResult> GetWebhookEvent(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/projects/{projectId}/events/{eventId}")] HttpRequest request, string projectId,
        string eventId, FunctionContext function) =>
        pipeline.RunAsync(request.HttpContext, ApiRoutes.Named(function.FunctionDefinition.Name), projectId, eventId);

    [Function("ReplayWebhookEvent")]
    public Task<IResult> ReplayWebhookEvent(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/projects/{projectId}/events/{eventId}/replay")] HttpRequest request, string projectId,
        string eventId, FunctionContext function) =>
        pipeline.RunAsync(request.HttpContext, ApiRoutes.Named(function.FunctionDefinition.Name), projectId, eventId);
}
