using Integrations.Api.Authentication;
using Integrations.Api.Http;
using Integrations.Core.Audit;
using Integrations.Core.Common;
using Integrations.Core.Tenancy;
using Microsoft.AspNetCore.Http;

namespace Integrations.Api;

/// <summary>A project's audit log, newest first, by time range.</summary>
public sealed class AuditEndpoints(EndpointRunner runner, TenancyService tenancy, IAuditStore store)
{
    public Task<IResult> QueryAsync(HttpContext context, string projectId) =>
        runner.RunAsync(context, AuditActions.AuditRead, Access.OrganizationAdmin, async (caller, audit, ct) =>
        {
            var page = Query.Page(context.Request);
            var from = Query.Time(context.Request, "from");
            var to = Query.Time(context.Request, "to");
            if ((page.Error ?? from.Error ?? to.Error) is { } error)
            {
                return Problems.From(error);
            }

            var since = from.Value ?? DateTimeOffset.UnixEpoch;
            var until = to.Value ?? DateTimeOffset.MaxValue;
            if (since >= until)
            {
                return Problems.From(HubError.Invalid("invalid-query", "from must be before to.", "from"));
            }

            if (await tenancy.GetProjectAsync(caller.OrganizationId!, projectId, ct).ConfigureAwait(false) is null)
            {
                return Problems.From(HubError.NotFound("project"));
            }

            var records = await store.QueryAsync(AuditPartition.For(caller.OrganizationId!, projectId), since, until, page.Value, ct).ConfigureAwait(false);
            return Responses.Page(records, Responses.Audit);
        }, new RequestAudit { ProjectId = projectId });
}
