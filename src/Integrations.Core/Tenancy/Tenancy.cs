using Integrations.Core.Common;

namespace Integrations.Core.Tenancy;

/// <summary>An organization: the tenant. Everything a caller can see belongs to exactly one.</summary>
public sealed record Organization(string Id, string Name, DateTimeOffset CreatedAt);

/// <summary>A project inside an organization: holds secrets (and later connections and webhooks).</summary>
public sealed record Project(string Id, string OrganizationId, string Name, string CreatedBy, DateTimeOffset CreatedAt);

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

    Task<IReadOnlyList<Project>> ListProjectsAsync(string organizationId, CancellationToken cancellationToken = default);
}

/// <summary>Rules for the display names of organizations and projects.</summary>
public static class DisplayName
{
    public const int MaxLength = 100;

    public static HubError? Validate(string? name, string field)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return HubError.Invalid("missing-field", $"{field} is required.", field);
        }

        if (name.Length > MaxLength || name.Any(char.IsControl) || name.Trim().Length != name.Length)
        {
            return HubError.Invalid("invalid-name", $"{field} must be 1 to {MaxLength} characters, without control characters or surrounding spaces.", field);
        }

        return null;
    }
}
