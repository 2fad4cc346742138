namespace Integrations.Core.Tenancy;

/// <summary>Error codes of organizations and projects. Each is a problem <c>type</c> with an entry in docs/problems.md.</summary>
public static class TenancyErrors
{
    public const string ProjectExists = "project-exists";

    /// <summary>The organization has <c>Hub:MaxProjectsPerOrganization</c> projects.</summary>
    public const string ProjectQuotaReached = "project-quota-reached";
}
