using Integrations.Api.Http;
using Integrations.Api.Pipeline;
using Integrations.Core.Common;
using Integrations.Core.Tenancy;
using Microsoft.AspNetCore.Http;

namespace Integrations.Api.Projects;

/// <summary>Projects of the caller's organization.</summary>
public sealed class ProjectEndpoints(TenancyService tenancy)
{
    public async Task<IResult> CreateAsync(HubRequest request, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync<CreateProjectRequest>(request.Request).ConfigureAwait(false);
        if (!body.IsSuccess)
        {
            return Problems.From(body.Error);
        }

        var projectId = Ids.New("prj");
        if (!await request.BeginChangeAsync($"project/{projectId}").ConfigureAwait(false))
        {
            return ApiProblems.AuditUnavailable();
        }

        var created = await tenancy.CreateProjectAsync(request.OrganizationId, body.Value.Name, request.Caller.Id, projectId, cancellationToken).ConfigureAwait(false);
        if (!created.IsSuccess)
        {
            return Problems.From(created.Error);
        }

        // The project exists now (this request made it), so its outcome belongs in its own log.
        request.Audit.ProjectId = created.Value.Id;
        return Responses.Json(ProjectResponse.From(created.Value), StatusCodes.Status201Created);
    }

    public async Task<IResult> ListAsync(HubRequest request, CancellationToken cancellationToken)
    {
        var page = Query.Page(request.Request);
        if (!page.IsSuccess)
        {
            return Problems.From(page.Error);
        }

        var projects = await tenancy.ListProjectsAsync(request.OrganizationId, cancellationToken).ConfigureAwait(false);
        return Responses.Page(page.Value.Apply(projects.OrderBy(p => p.CreatedAt).ToList()), ProjectResponse.From);
    }
}
