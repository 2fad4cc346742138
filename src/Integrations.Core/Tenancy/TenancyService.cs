using Integrations.Core.Common;
using Integrations.Core.Identity;
using Microsoft.Extensions.Options;

namespace Integrations.Core.Tenancy;

/// <summary>Creates organizations (with their first owner key) and projects.</summary>
public sealed class TenancyService(ITenancyStore store, ApiKeyService apiKeys, TimeProvider time, IOptions<HubOptions> options)
{
    /// <summary>
    /// Creates an organization and its first owner API key (every scope, never expires), returned once (<paramref name="organizationId"/> is
    /// given when the caller has already named the new organization in its audit attempt). The owner key is
    /// the one key outside <see cref="HubOptions.MaxApiKeyLifetime"/> that the API hands out: an organization must not
    /// lock itself out when a year has passed. Keys it creates are bounded as usual.
    /// </summary>
    public async Task<Result<(Organization Organization, IssuedApiKey OwnerKey)>> CreateOrganizationAsync(
        string? name, string createdBy, string? organizationId = null, CancellationToken cancellationToken = default)
    {
        if (DisplayName.Validate(name, "name") is { } error)
        {
            return error;
        }

        var organization = new Organization(organizationId ?? Ids.New("org"), name!, time.GetUtcNow());
        if (await store.TryAddOrganizationAsync(organization, cancellationToken).ConfigureAwait(false) != WriteOutcome.Written)
        {
            throw new InvalidOperationException("A freshly generated organization id already exists.");
        }

        Result<IssuedApiKey> key;
        try
        {
            // Past the organization row, finish regardless of the caller: an organization without its owner key is unusable.
            key = await apiKeys.CreateWithoutExpiryAsync(organization.Id, "owner", Scopes.All, createdBy, cancellationToken: CancellationToken.None).ConfigureAwait(false);
            if (!key.IsSuccess)
            {
                // The owner key's name and scopes are fixed, so this is a programming error; the organization row is undone below.
                throw new InvalidOperationException($"The owner key could not be created: {key.Error.Message}");
            }
        }
        catch
        {
            await store.DeleteOrganizationAsync(organization.Id, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        return (organization, key.Value);
    }

    /// <summary>Creates a project; <paramref name="projectId"/> as for <see cref="CreateOrganizationAsync"/>.</summary>
    public async Task<Result<Project>> CreateProjectAsync(
        string organizationId, string? name, string createdBy, string? projectId = null, CancellationToken cancellationToken = default)
    {
        if (DisplayName.Validate(name, "name") is { } error)
        {
            return error;
        }

        // Counted, not reserved: two creates racing at the limit may both pass (one project over per concurrent request);
        // a counter row would serialize every create on one entity. The count reads row keys only.
        var limit = options.Value.MaxProjectsPerOrganization;
        if (await store.CountProjectsAsync(organizationId, cancellationToken).ConfigureAwait(false) >= limit)
        {
            return HubError.Conflict(TenancyErrors.ProjectQuotaReached,
                $"The organization has {limit} projects, its limit (Hub:MaxProjectsPerOrganization).");
        }

        var project = new Project(projectId ?? Ids.New("prj"), organizationId, name!, createdBy, time.GetUtcNow());
        return await store.TryAddProjectAsync(project, cancellationToken).ConfigureAwait(false) switch
        {
            WriteOutcome.Written => project,
            _ => HubError.Conflict(TenancyErrors.ProjectExists, $"The organization already has a project named '{name}'."),
        };
    }

    public Task<Project?> GetProjectAsync(string organizationId, string projectId, CancellationToken cancellationToken = default) =>
        Ids.IsValid("prj", projectId) ? store.GetProjectAsync(organizationId, projectId, cancellationToken) : Task.FromResult<Project?>(null);

    public Task<IReadOnlyList<Project>> ListProjectsAsync(string organizationId, CancellationToken cancellationToken = default) =>
        store.ListProjectsAsync(organizationId, cancellationToken);
}
