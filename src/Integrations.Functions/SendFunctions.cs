using Azure.Storage.Queues.Models;
using Integrations.Api.Jobs;
using Integrations.Api.Pipeline;
using Integrations.Api.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Integrations.Functions;

/// <summary>
/// Direct sends: one function per entry of SendRoutes, each handing its request to the route named like itself; the
/// queue job that makes their later attempts; and the retention cleanup.
/// </summary>
public sealed class SendFunctions(RequestPipeline pipeline, QueueJobRunner queueJobs, CleanupOutboundSendsJob cleanup)
{
    [Function("CreateSend")]
    public Task<IResult> CreateSend(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/projects/{projectId}/sends")] HttpRequest request, string projectId, FunctionContext function) =>
        pipeline.RunAsync(request.HttpContext, ApiRoutes.Named(function.FunctionDefinition.Name), projectId);

    [Function("GetSend")]
    public Task<IResult> GetSend(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/projects/{projectId}/sends/{sendId}")] HttpRequest request, string projectId,
        string sendId, FunctionContext function) =>
        pipeline.RunAsync(request.HttpContext, ApiRoutes.Named(function.FunctionDefinition.Name), projectId, sendId);

    // Messages are base64 (StorageQueueDispatcher), the trigger's default encoding; see JobFunctions for the poison handling.
    [Function("OutboundSend")]
    public Task OutboundSend([QueueTrigger("%Jobs:Queues:OutboundSend%", Connection = "Storage")] QueueMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        return queueJobs.RunAsync(QueueJobs.OutboundSend, new QueueJobMessage(message.MessageId, message.Body.ToString(), message.DequeueCount, message.InsertedOn), cancellationToken);
    }

    [Function("CleanupOutboundSends")]
    public Task CleanupOutboundSends([TimerTrigger("%Webhooks:CleanupSchedule%")] TimerInfo timer, CancellationToken cancellationToken) =>
        cleanup.RunAsync(cancellationToken);
}
