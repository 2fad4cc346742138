using Integrations.Api.Http;
using Integrations.Api.Pipeline;
using Integrations.Core.Common;
using Integrations.Core.Webhooks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Integrations.Api.Webhooks;

/// <summary>
/// The project's received webhook events: list, read (with the raw body) and replay. Every read is within the verified
/// project's partition: another project's or organization's event id is simply not found.
/// </summary>
public sealed partial class WebhookEventEndpoints(IWebhookEventStore events, WebhookIngress ingress, ILogger<WebhookEventEndpoints> logger)
{
    private const int MaxTypeLength = 200;

    public async Task<IResult> ListAsync(HubRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var page = Query.Page(request.Request);
        var since = Query.Time(request.Request, "since");
        if ((page.Error ?? since.Error) is { } error)
        {
            return Problems.From(error);
        }

        var source = request.Request.Query["source"].ToString();
        if (source.Length > 0 && !Ids.IsValid(WebhookSource.IdPrefix, source))
        {
            return Problems.From(HubError.Invalid(ApiProblems.InvalidQuery, "source must be a webhook source id (whs_…).", "source"));
        }

        var type = request.Request.Query["type"].ToString();
        if (type.Length > MaxTypeLength)
        {
            return Problems.From(HubError.Invalid(ApiProblems.InvalidQuery, $"type may be at most {MaxTypeLength} characters.", "type"));
        }

        var query = new WebhookEventQuery(page.Value, source.Length == 0 ? null : source, type.Length == 0 ? null : type, since.Value);
        var list = await events.ListAsync(request.OrganizationId, request.Project.Id, query, cancellationToken).ConfigureAwait(false);
        return Responses.Page(list, WebhookEventResponse.From);
    }

    public async Task<IResult> GetAsync(HubRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var stored = await events.GetAsync(request.OrganizationId, request.Project.Id, request.Values.Required(WebhookEventRoutes.IdParameter), cancellationToken)
            .ConfigureAwait(false);
        return stored is null ? NotFound() : Responses.Json(WebhookEventDetailResponse.From(stored));
    }

    public async Task<IResult> ReplayAsync(HubRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        StoredWebhookEvent? stored;
        try
        {
            stored = await ingress.ReplayAsync(request.OrganizationId, request.Project.Id, request.Values.Required(WebhookEventRoutes.IdParameter), cancellationToken)
                .ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.ReplayFailed(logger, ex, request.Http.TraceIdentifier);
            return Problems.Create(StatusCodes.Status503ServiceUnavailable, WebhookProblems.Unavailable, "Unavailable",
                "The event could not be put back on the queue; retry later.");
        }

        if (stored is null)
        {
            return NotFound();
        }

        await ingress.RunHandlersAsync(stored.Event, stored.Body, cancellationToken).ConfigureAwait(false);
        return Responses.Json(new WebhookReplayResponse(stored.Event.Id, Replayed: true), StatusCodes.Status202Accepted);
    }

    private static IResult NotFound() =>
        Problems.Create(StatusCodes.Status404NotFound, WebhookProblems.EventNotFound, "Not found", "No such webhook event in this project.");

    private static partial class Log
    {
        [LoggerMessage(EventId = 9221, Level = LogLevel.Warning, Message = "Request {RequestId}: a webhook event could not be replayed; answered 503.")]
        public static partial void ReplayFailed(ILogger logger, Exception exception, string requestId);
    }
}
