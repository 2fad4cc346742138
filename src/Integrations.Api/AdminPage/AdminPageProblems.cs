namespace Integrations.Api.AdminPage;

/// <summary>Problem codes of the admin page's static files (docs/problems.md).</summary>
public static class AdminPageProblems
{
    public const string AssetNotFound = "admin-asset-not-found";
}
