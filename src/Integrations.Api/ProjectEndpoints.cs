using Integrations.Api.Authentication;
using Integrations.Api.Http;
using Integrations.Core.Audit;
using Integrations.Core.Tenancy;
using Microsoft.AspNetCore.Http;

namespace Integrations.Api;

/// <summary>Projects of the caller's organization.</summary>
public sealed class ProjectEndpoints(EndpointRunner runner, TenancyService tenancy)
{
    public Task<IResult> CreateAsync(HttpContext context) =>
        runner.RunAsync(context, AuditActions.ProjectCreate, Access.ProjectsWrite, async (caller, audit, ct) =>
        {
            var body = await JsonBody.ReadAsync<CreateProjectRequest>(context.Request).ConfigureAwait(false);
            if (!body.IsSuccess)
            {
                return Problems.From(body.Error!);
            }

            var created = await tenancy.CreateProjectAsync(caller.OrganizationId!, body.Value!.Name, caller.Id, ct).ConfigureAwait(false);
            if (!created.IsSuccess)
            {
                return Problems.From(created.Error!);
            }

            audit.ProjectId = created.Value!.Id;
            audit.Target = $"project/{created.Value.Id}";
            return Responses.Json(Responses.Project(created.Value), StatusCodes.Status201Created);
        });

    public Task<IResult> ListAsync(HttpContext context) =>
        runner.RunAsync(context, AuditActions.ProjectList, Access.AnyOrganizationKey, async (caller, audit, ct) =>
        {
            var page = Query.Page(context.Request);
            if (!page.IsSuccess)
            {
                return Problems.From(page.Error!);
            }

            var projects = await tenancy.ListProjectsAsync(caller.OrganizationId!, ct).ConfigureAwait(false);
            return Responses.Page(page.Value.Apply(projects.OrderBy(p => p.CreatedAt).ToList()), Responses.Project);
        });
}
