using Integrations.Api.Http;
using Integrations.Api.Pipeline;
using Integrations.Core.Common;
using Integrations.Core.Events;
using Microsoft.AspNetCore.Http;

namespace Integrations.Api.Activity;

/// <summary>The project's activity: its event outbox, newest first, by type and since a time.</summary>
public sealed class ActivityEndpoints(IEventOutbox outbox)
{
    public async Task<IResult> ListAsync(HubRequest request, CancellationToken cancellationToken)
    {
        var page = Query.Page(request.Request);
        var since = Query.Time(request.Request, "since");
        if ((page.Error ?? since.Error) is { } error)
        {
            return Problems.From(error);
        }

        var type = request.Request.Query["type"].ToString();
        if (type.Length > 0 && !HubEventTypes.IsKnown(type))
        {
            return Problems.From(HubError.Invalid(ApiProblems.InvalidQuery, $"type must be one of {string.Join(", ", HubEventTypes.All)}.", "type"));
        }

        var events = await outbox.ListAsync(request.OrganizationId, request.Project.Id, new ActivityQuery(page.Value, type.Length == 0 ? null : type, since.Value),
            cancellationToken).ConfigureAwait(false);
        return Responses.Page(events, ActivityResponse.From);
    }
}
