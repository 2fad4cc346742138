using System.Text.Json;
using Integrations.Api.Http;
using Integrations.Api.Pipeline;
using Integrations.Core.Common;
using Integrations.Core.Counters;
using Integrations.Core.Identity;
using Integrations.Core.Webhooks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Integrations.Api.Webhooks;

/// <summary>
/// Webhook sources of a project: create, read, list, patch (JSON merge patch of name, description, enabled, settings),
/// delete, add a signing secret, and the delivery counts. No response holds a secret value but one the hub generated,
/// in the answer to the request that generated it.
/// </summary>
/// <remarks><paramref name="counters"/> is optional so that a composition without the durable counters still builds; stats then answer 503.</remarks>
public sealed class WebhookSourceEndpoints(WebhookSourceService sources, IOptions<HubOptions> hub, TimeProvider time, IHubCounters? counters = null)
{
    /// <summary>How far back <c>since</c> may reach.</summary>
    public static readonly TimeSpan MaxStatsRange = TimeSpan.FromDays(7);

    /// <summary>The <c>since</c> of a stats request that names none.</summary>
    public static readonly TimeSpan DefaultStatsRange = TimeSpan.FromHours(24);

    /// <summary>The top-level members a PATCH may name.</summary>
    private static readonly HashSet<string> PatchMembers = new(["name", "description", "enabled", "settings", "scheme"], StringComparer.Ordinal);

    private string PublicBaseUrl => hub.Value.PublicBaseUrl ?? "";

    public async Task<IResult> CreateAsync(HubRequest request, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync<WebhookSourceInput>(request.Request).ConfigureAwait(false);
        if (!body.IsSuccess)
        {
            return Problems.From(body.Error);
        }

        if (!await request.BeginChangeAsync(WebhookSourceRoutes.NameTarget(body.Value.Name)).ConfigureAwait(false))
        {
            return ApiProblems.AuditUnavailable();
        }

        var created = await sources.CreateAsync(request.Project, body.Value, request.Caller.Id, cancellationToken).ConfigureAwait(false);
        if (!created.IsSuccess)
        {
            return Problems.From(created.Error);
        }

        request.Audit.Target = WebhookSourceRoutes.Target(created.Value.Source.Id);
        return Responses.Json(WebhookSourceResponse.From(created.Value.Source, PublicBaseUrl, created.Value.GeneratedSecret), StatusCodes.Status201Created);
    }

    public async Task<IResult> GetAsync(HubRequest request, CancellationToken cancellationToken)
    {
        var source = await sources.GetAsync(request.Project, Id(request), cancellationToken).ConfigureAwait(false);
        return source.IsSuccess ? Responses.Json(WebhookSourceResponse.From(source.Value, PublicBaseUrl)) : Problems.From(source.Error);
    }

    public async Task<IResult> ListAsync(HubRequest request, CancellationToken cancellationToken)
    {
        var page = Query.Page(request.Request);
        if (!page.IsSuccess)
        {
            return Problems.From(page.Error);
        }

        var listed = await sources.ListAsync(request.Project, page.Value, cancellationToken).ConfigureAwait(false);
        return listed.IsSuccess ? Responses.Page(listed.Value, s => WebhookSourceResponse.From(s, PublicBaseUrl)) : Problems.From(listed.Error);
    }

    /// <summary>
    /// PATCH: a JSON merge patch (RFC 7396) of name, description, enabled and settings — a member left out is unchanged,
    /// <c>null</c> removes it (back to its default), <c>settings</c> merges member by member. Validated whole, like a create.
    /// </summary>
    public async Task<IResult> PatchAsync(HubRequest request, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadElementAsync(request.Request).ConfigureAwait(false);
        if (!body.IsSuccess)
        {
            return Problems.From(body.Error);
        }

        if (body.Value.ValueKind != JsonValueKind.Object)
        {
            return Problems.From(HubError.Invalid(ApiProblems.MalformedJson, "The body must be a JSON object (a merge patch of the source)."));
        }

        foreach (var member in body.Value.EnumerateObject())
        {
            if (!PatchMembers.Contains(member.Name))
            {
                // The member name is the caller's input: not echoed.
                return Problems.From(HubError.Invalid(WebhookSourceProblems.InvalidPatch,
                    "PATCH may change name, description, enabled and settings; secrets are added with POST …/webhook-sources/{id}/secrets."));
            }
        }

        var patched = await sources.PatchAsync(request.Project, Id(request), current => JsonMergePatch.Apply(current, body.Value, "a webhook source"), cancellationToken).ConfigureAwait(false);
        return patched.IsSuccess ? Responses.Json(WebhookSourceResponse.From(patched.Value, PublicBaseUrl)) : Problems.From(patched.Error);
    }

    public async Task<IResult> DeleteAsync(HubRequest request, CancellationToken cancellationToken)
    {
        var deleted = await sources.DeleteAsync(request.Project, Id(request), request.Caller.Id, cancellationToken).ConfigureAwait(false);
        return deleted.IsSuccess ? Responses.Json(new DeletedWebhookSourceResponse(deleted.Value.Id, deleted.Value.Name)) : Problems.From(deleted.Error);
    }

    public async Task<IResult> AddSecretAsync(HubRequest request, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync<WebhookSecretInput>(request.Request).ConfigureAwait(false);
        if (!body.IsSuccess)
        {
            return Problems.From(body.Error);
        }

        var added = await sources.AddSecretAsync(request.Project, Id(request), body.Value, request.Caller.Id, cancellationToken).ConfigureAwait(false);
        return added.IsSuccess
            ? Responses.Json(WebhookSourceResponse.From(added.Value.Source, PublicBaseUrl, added.Value.GeneratedSecret), StatusCodes.Status201Created)
            : Problems.From(added.Error);
    }

    public async Task<IResult> GetStatsAsync(HubRequest request, CancellationToken cancellationToken)
    {
        var since = Query.Time(request.Request, "since");
        if (!since.IsSuccess)
        {
            return Problems.From(since.Error);
        }

        var now = time.GetUtcNow();
        var from = since.Value ?? now - DefaultStatsRange;
        if (from > now)
        {
            return Problems.From(HubError.Invalid(ApiProblems.InvalidQuery, "since must not be in the future.", "since"));
        }

        if (now - from > MaxStatsRange)
        {
            return Problems.From(HubError.Invalid(WebhookSourceProblems.StatsRangeTooWide, "since must be at most 7 days ago.", "since"));
        }

        var source = await sources.GetAsync(request.Project, Id(request), cancellationToken).ConfigureAwait(false);
        if (!source.IsSuccess)
        {
            return Problems.From(source.Error);
        }

        if (counters is null)
        {
            return Problems.From(new HubError(ErrorKind.Unavailable, WebhookSourceProblems.StatsUnavailable, "Delivery counts are not kept by this host."));
        }

        var s = source.Value;
        var totals = await counters.ReadAsync(new CounterKey(s.OrganizationId, s.ProjectId, s.Id), from, cancellationToken).ConfigureAwait(false);
        return Responses.Json(new WebhookSourceStatsResponse(s.Id, from, now,
            totals.Count(WebhookCounters.Accepted), totals.Count(WebhookCounters.Duplicate), totals.Count(WebhookCounters.BadSignature),
            totals.Count(WebhookCounters.Stale), totals.Count(WebhookCounters.Oversized), totals.Count(WebhookCounters.Malformed),
            totals.LatestOf(WebhookCounters.LastAccepted)));
    }

    private static string Id(HubRequest request) => request.Values.Required(WebhookSourceRoutes.IdParameter);
}
