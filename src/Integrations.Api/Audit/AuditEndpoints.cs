using Integrations.Api.Http;
using Integrations.Api.Pipeline;
using Integrations.Core.Audit;
using Integrations.Core.Common;
using Microsoft.AspNetCore.Http;

namespace Integrations.Api.Audit;

/// <summary>A project's audit log, newest first, by time range.</summary>
public sealed class AuditEndpoints(IAuditStore store)
{
    public async Task<IResult> QueryAsync(HubRequest request, CancellationToken cancellationToken)
    {
        var page = Query.Page(request.Request);
        var from = Query.Time(request.Request, "from");
        var to = Query.Time(request.Request, "to");
        if ((page.Error ?? from.Error ?? to.Error) is { } error)
        {
            return Problems.From(error);
        }

        var since = from.Value ?? DateTimeOffset.UnixEpoch;
        var until = to.Value ?? DateTimeOffset.MaxValue;
        if (since >= until)
        {
            return Problems.From(HubError.Invalid(ApiProblems.InvalidQuery, "from must be before to.", "from"));
        }

        var records = await store.QueryAsync(AuditPartition.For(request.OrganizationId, request.Project.Id), since, until, page.Value, cancellationToken).ConfigureAwait(false);
        return Responses.Page(records, AuditRecordResponse.From);
    }
}
