using Integrations.Api.Authentication;
using Integrations.Api.Http;
using Integrations.Core.Audit;
using Integrations.Core.Common;
using Integrations.Core.Tenancy;
using Microsoft.AspNetCore.Http;

namespace Integrations.Api;

/// <summary>A project's audit log, newest first, by time range.</summary>
public sealed class AuditEndpoints(EndpointRunner runner, TenancyService tenancy, IAuditStore store, TimeProvider time)
{
    public Task<IResult> QueryAsync(HttpContext context, string projectId) =>
        runner.RunAsync(context, AuditActions.AuditRead, Access.OrganizationAdmin, async (caller, audit, ct) =>
        {
            audit.ProjectId = projectId;
            var page = Query.Page(context.Request);
            var from = Query.Time(context.Request, "from");
            var to = Query.Time(context.Request, "to");
            if ((page.Error ?? from.Error ?? to.Error) is { } error)
            {
                return Problems.From(error);
            }

            var until = to.Value ?? time.GetUtcNow().AddSeconds(1);
            var since = from.Value ?? DateTimeOffset.UnixEpoch;
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
        });
}
