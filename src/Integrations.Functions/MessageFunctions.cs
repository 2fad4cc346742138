using Integrations.Api.Pipeline;
using Integrations.Api.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Integrations.Functions;

/// <summary>A project's outbound messages: one function per entry of MessageRoutes.</summary>
public sealed class MessageFunctions(RequestPipeline pipeline)
{
    [Function("SendMessage")]
    public Task<IResult> SendMessage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/projects/{projectId}/messages")] HttpRequest request, string projectId, FunctionContext function) =>
        pipeline.RunAsync(request.HttpContext, ApiRoutes.Named(function.FunctionDefinition.Name), projectId);

    [Function("ListMessages")]
    public Task<IResult> ListMessages(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/projects/{projectId}/messages")] HttpRequest request, string projectId, FunctionContext function) =>
        pipeline.RunAsync(request.HttpContext, ApiRoutes.Named(function.FunctionDefinition.Name), projectId);

    [Function("GetMessage")]
    public Task<IResult> GetMessage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/projects/{projectId}/messages/{messageId}")] HttpRequest request, string projectId,
        string messageId, FunctionContext function) =>
        pipeline.RunAsync(request.HttpContext, ApiRoutes.Named(function.FunctionDefinition.Name), projectId, messageId);

    [Function("ListMessageAttempts")]
    public Task<IResult> ListMessageAttempts(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/projects/{projectId}/messages/{messageId}/attempts")] HttpRequest request, string projectId,
        string messageId, FunctionContext function) =>
        pipeline.RunAsync(request.HttpContext, ApiRoutes.Named(function.FunctionDefinition.Name), projectId, messageId);

    [Function("ReplayMessage")]
    public Task<IResult> ReplayMessage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/projects/{projectId}/messages/{messageId}/replay")] HttpRequest request, string projectId,
        string messageId, FunctionContext function) =>
        pipeline.RunAsync(request.HttpContext, ApiRoutes.Named(function.FunctionDefinition.Name), projectId, messageId);
}
