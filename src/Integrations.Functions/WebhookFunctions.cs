using Integrations.Api.Pipeline;
using Integrations.Api.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Integrations.Functions;

/// <summary>
/// Webhook ingress: the functions of WebhookIngressRoutes. The ASP.NET Core integration hands over the request stream
/// untouched, so signatures are checked over the raw bytes as sent (the host's own body limit, 100 MB by default, is far
/// above Webhooks:MaxBodyBytes, which the endpoint enforces while reading).
/// </summary>
public sealed class WebhookFunctions(RequestPipeline pipeline)
{
    [Function("ReceiveWebhook")]
    public Task<IResult> ReceiveWebhook(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/webhooks/{sourceId}")] HttpRequest request, string sourceId, FunctionContext function) =>
        pipeline.RunAsync(request.HttpContext, ApiRoutes.Named(function.FunctionDefinition.Name), sourceId);

    [Function("ReceiveProjectWebhook")]
    public Task<IResult> ReceiveProjectWebhook(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/projects/{projectId}/webhooks")] HttpRequest request, string projectId, FunctionContext function) =>
        pipeline.RunAsync(request.HttpContext, ApiRoutes.Named(function.FunctionDefinition.Name), projectId);
}
