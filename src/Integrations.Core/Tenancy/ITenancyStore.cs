using Integrations.Core.Common;

namespace Integrations.Core.Tenancy;

/// <summary>Storage of organizations and projects. Project lookups always take the organization: there is no cross-tenant read.</summary>
public interface ITenancyStore
{
    Task<WriteOutcome> TryAddOrganizationAsync(Organization organization, CancellationToken cancellationToken = default);

    Task<Organization?> GetOrganizationAsync(string organizationId, CancellationToken cancellationToken = default);

    /// <summary>Removes an organization row (only to undo a creation whose owner key could not be written).</summary>
    Task DeleteOrganizationAsync(string organizationId, CancellationToken cancellationToken = default);

    /// <summary>Adds a project; <see cref="WriteOutcome.Conflict"/> when the organization has a project of that name.</summary>
    Task<WriteOutcome> TryAddProjectAsync(Project project, CancellationToken cancellationToken = default);

    Task<Project?> GetProjectAsync(string organizationId, string projectId, CancellationToken cancellationToken = default);

    /// <summary>How many projects the organization has; reads row keys only.</summary>
    Task<int> CountProjectsAsync(string organizationId, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<Project>> ListProjectsAsync(string organizationId, CancellationToken cancellationToken = default);

    /// <summary>The organization's own audit retention in days, or null when it uses the platform's.</summary>
    Task<int?> GetAuditRetentionDaysAsync(string organizationId, CancellationToken cancellationToken = default);

    /// <summary>Sets (or, with null, clears) the organization's audit retention in days.</summary>
    Task SetAuditRetentionDaysAsync(string organizationId, int? days, CancellationToken cancellationToken = default);
}
