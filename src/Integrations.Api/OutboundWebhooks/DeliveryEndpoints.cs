using Integrations.Api.Http;
using Integrations.Api.Pipeline;
using Integrations.Core.Common;
using Integrations.Core.Counters;
using Integrations.Core.OutboundWebhooks;
using Microsoft.AspNetCore.Http;

namespace Integrations.Api.OutboundWebhooks;

/// <summary>
/// An endpoint's deliveries: recover the failed ones, list its attempts, count its outcomes. The endpoint is looked up in
/// the verified project first: another project's or organization's endpoint id is not found.
/// </summary>
/// <remarks><paramref name="counters"/> is optional so that a composition without the durable counters still builds; stats then answer 503.</remarks>
public sealed class DeliveryEndpoints(
    OutboundMessageService messages, IWebhookEndpointStore endpoints, IWebhookDeliveryStore deliveries, TimeProvider time, IHubCounters? counters = null)
{
    /// <summary>The range of attempts and stats that names no <c>since</c>.</summary>
    public static readonly TimeSpan DefaultRange = TimeSpan.FromHours(24);

    /// <summary>How far back stats may reach.</summary>
    public static readonly TimeSpan MaxStatsRange = TimeSpan.FromDays(7);

    public async Task<IResult> RecoverAsync(HubRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = await JsonBody.ReadAsync<EndpointRecoverInput>(request.Request).ConfigureAwait(false);
        if (!body.IsSuccess)
        {
            return Problems.From(body.Error);
        }

        if (body.Value.Since is not { } since)
        {
            return Problems.From(HubError.Invalid(CommonErrors.MissingField, "since is required: the failed deliveries created since then are sent again.", "since"));
        }

        if (since > time.GetUtcNow())
        {
            return Problems.From(HubError.Invalid(MessageProblems.InvalidRecoverSince, "since must not be in the future.", "since"));
        }

        var recovered = await messages.RecoverAsync(request.OrganizationId, request.Project.Id, Id(request), since, cancellationToken).ConfigureAwait(false);
        return recovered.IsSuccess
            ? Responses.Json(new EndpointRecoveredResponse(recovered.Value.EndpointId, since, recovered.Value.Count, recovered.Value.More), StatusCodes.Status202Accepted)
            : Problems.From(recovered.Error);
    }

    public async Task<IResult> ListAttemptsAsync(HubRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var page = Query.Page(request.Request);
        var since = Query.Time(request.Request, "since");
        if ((page.Error ?? since.Error) is { } error)
        {
            return Problems.From(error);
        }

        if (await FindAsync(request, cancellationToken).ConfigureAwait(false) is not { } endpoint)
        {
            return Problems.From(HubError.NotFound("webhook endpoint"));
        }

        var from = since.Value ?? time.GetUtcNow() - DefaultRange;
        var attempts = await deliveries.ListAttemptsByEndpointAsync(endpoint.OrganizationId, endpoint.ProjectId, endpoint.Id, from, page.Value, cancellationToken)
            .ConfigureAwait(false);
        return Responses.Page(attempts, AttemptResponse.From);
    }

    public async Task<IResult> GetStatsAsync(HubRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var since = Query.Time(request.Request, "since");
        if (!since.IsSuccess)
        {
            return Problems.From(since.Error);
        }

        var now = time.GetUtcNow();
        var from = since.Value ?? now - DefaultRange;
        if (from > now)
        {
            return Problems.From(HubError.Invalid(ApiProblems.InvalidQuery, "since must not be in the future.", "since"));
        }

        if (now - from > MaxStatsRange)
        {
            return Problems.From(HubError.Invalid(MessageProblems.StatsRangeTooWide, "since must be at most 7 days ago.", "since"));
        }

        if (await FindAsync(request, cancellationToken).ConfigureAwait(false) is not { } endpoint)
        {
            return Problems.From(HubError.NotFound("webhook endpoint"));
        }

        if (counters is null)
        {
            return Problems.From(new HubError(ErrorKind.Unavailable, MessageProblems.StatsUnavailable, "Delivery counts are not kept by this host."));
        }

        var totals = await counters.ReadAsync(new CounterKey(endpoint.OrganizationId, endpoint.ProjectId, endpoint.Id), from, cancellationToken).ConfigureAwait(false);
        return Responses.Json(new EndpointStatsResponse(endpoint.Id, from, now, totals.Count(OutboundWebhookCounters.Delivered), totals.Count(OutboundWebhookCounters.Retried),
            totals.Count(OutboundWebhookCounters.Failed), totals.LatestOf(OutboundWebhookCounters.LastSuccess)));
    }

    private async Task<WebhookEndpoint?> FindAsync(HubRequest request, CancellationToken cancellationToken)
    {
        var id = Id(request);
        return Ids.IsValid(WebhookEndpoint.IdPrefix, id)
            ? await endpoints.GetAsync(request.OrganizationId, request.Project.Id, id, cancellationToken).ConfigureAwait(false)
            : null;
    }

    private static string Id(HubRequest request) => request.Values.Required(DeliveryRoutes.IdParameter);
}
