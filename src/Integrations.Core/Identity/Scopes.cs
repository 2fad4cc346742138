namespace Integrations.Core.Identity;

/// <summary>What an API key may do inside its organization.</summary>
public static class Scopes
{
    public const string SecretsRead = "secrets:read";
    public const string SecretsWrite = "secrets:write";
    public const string SecretsReveal = "secrets:reveal";
    public const string ProjectsWrite = "projects:write";

    /// <summary>Manage the organization's API keys and read its audit log.</summary>
    public const string Admin = "admin";

    public static IReadOnlyList<string> All { get; } = [SecretsRead, SecretsWrite, SecretsReveal, ProjectsWrite, Admin];

    public static bool IsKnown(string scope) => All.Contains(scope, StringComparer.Ordinal);
}
