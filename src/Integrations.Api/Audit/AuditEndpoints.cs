using Integrations.Api.Http;
using Integrations.Api.Pipeline;
using Integrations.Core.Audit;
using Integrations.Core.Common;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Integrations.Api.Audit;

/// <summary>
/// A project's or an organization's audit log, newest first, over a bounded time range: without <c>from</c> the last
/// <see cref="AuditOptions.DefaultQueryRange"/>, and never wider than <see cref="AuditOptions.MaxQueryRange"/>, so one
/// request cannot make the hub read seven years of records.
/// </summary>
public sealed class AuditEndpoints(IAuditStore store, AuditRetention retention, IOptions<AuditOptions> options, TimeProvider time)
{
    public async Task<IResult> GetRetentionAsync(HubRequest request, CancellationToken cancellationToken)
    {
        var (current, isOwn) = await retention.ForOrganizationAsync(request.OrganizationId, cancellationToken).ConfigureAwait(false);
        return Responses.Json(RetentionResponse(current, isOwn));
    }

    /// <summary>Sets how long the organization's records are kept, within the platform's bounds; the cleanup timer applies it.</summary>
    public async Task<IResult> SetRetentionAsync(HubRequest request, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync<SetAuditRetentionRequest>(request.Request).ConfigureAwait(false);
        if (!body.IsSuccess)
        {
            return Problems.From(body.Error);
        }

        var set = await retention.SetAsync(request.OrganizationId, body.Value.Days, cancellationToken).ConfigureAwait(false);
        return set.IsSuccess ? Responses.Json(RetentionResponse(set.Value, body.Value.Days is not null)) : Problems.From(set.Error);
    }

    public Task<IResult> QueryProjectAsync(HubRequest request, CancellationToken cancellationToken) =>
        QueryAsync(request, AuditPartition.For(request.OrganizationId, request.Project.Id), cancellationToken);

    /// <summary>The organization's own records: API keys, projects, and requests refused before a project was verified.</summary>
    public Task<IResult> QueryOrganizationAsync(HubRequest request, CancellationToken cancellationToken) =>
        QueryAsync(request, AuditPartition.For(request.OrganizationId, null), cancellationToken);

    private async Task<IResult> QueryAsync(HubRequest request, string partition, CancellationToken cancellationToken)
    {
        var page = Query.Page(request.Request);
        var from = Query.Time(request.Request, "from");
        var to = Query.Time(request.Request, "to");
        if ((page.Error ?? from.Error ?? to.Error) is { } error)
        {
            return Problems.From(error);
        }

        var range = Range(from.Value, to.Value);
        if (!range.IsSuccess)
        {
            return Problems.From(range.Error);
        }

        var (since, until) = range.Value;
        var records = await store.QueryAsync(partition, since, until, page.Value, cancellationToken).ConfigureAwait(false);
        return Responses.Page(records, AuditRecordResponse.From);
    }

    private AuditRetentionResponse RetentionResponse(TimeSpan current, bool isOwn)
    {
        var settings = options.Value;
        return new((int)current.TotalDays, !isOwn, (int)settings.Retention.TotalDays, (int)settings.MinimumRetention.TotalDays, (int)settings.MaximumRetention.TotalDays);
    }

    private Result<(DateTimeOffset From, DateTimeOffset To)> Range(DateTimeOffset? from, DateTimeOffset? to)
    {
        var settings = options.Value;
        // The end is exclusive; "now" plus a tick keeps a record written in this very tick.
        var until = to ?? time.GetUtcNow().AddTicks(1);
        // A `to` at the start of the calendar has no seven days before it: the range starts at the earliest time instead.
        var since = from ?? (until.UtcTicks - DateTimeOffset.MinValue.UtcTicks < settings.DefaultQueryRange.Ticks ? DateTimeOffset.MinValue : until - settings.DefaultQueryRange);
        if (to is null && since >= until)
        {
            // "From a time still to come": a valid question whose answer is empty (and the calendar's last tick has no successor).
            return (since, since < DateTimeOffset.MaxValue ? since.AddTicks(1) : since);
        }

        if (since >= until)
        {
            return HubError.Invalid(ApiProblems.InvalidQuery, "from must be before to.", "from");
        }

        if (until - since > settings.MaxQueryRange)
        {
            return HubError.Invalid(ApiProblems.AuditRangeTooWide,
                $"from and to may be at most {settings.MaxQueryRange.TotalDays:0.#} days apart (Audit:MaxQueryRange); query a long period in parts.", "from");
        }

        return (since, until);
    }
}
