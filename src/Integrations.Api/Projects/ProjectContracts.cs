using Integrations.Core.Tenancy;

namespace Integrations.Api.Projects;

public sealed record CreateProjectRequest(string? Name);

public sealed record ProjectResponse(string Id, string Name, string CreatedBy, DateTimeOffset CreatedAt)
{
    public static ProjectResponse From(Project p) => new(p.Id, p.Name, p.CreatedBy, p.CreatedAt);
}
