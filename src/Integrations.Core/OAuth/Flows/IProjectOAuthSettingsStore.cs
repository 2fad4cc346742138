namespace Integrations.Core.OAuth.Flows;

/// <summary>Storage of each project's <see cref="ProjectOAuthSettings"/>. Rows are signed on write and verified on read.</summary>
public interface IProjectOAuthSettingsStore
{
    /// <summary>The project's settings, or null when it has none (or its row failed its MAC: reported, and read as none).</summary>
    Task<ProjectOAuthSettings?> GetAsync(string organizationId, string projectId, CancellationToken cancellationToken = default);

    /// <summary>Replaces the project's settings (a whole-document PUT: the last writer's list is the list).</summary>
    Task SetAsync(ProjectOAuthSettings settings, CancellationToken cancellationToken = default);
}
