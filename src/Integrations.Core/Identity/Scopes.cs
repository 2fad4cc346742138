namespace Integrations.Core.Identity;

/// <summary>What an API key may do inside its organization.</summary>
public static class Scopes
{
    public const string SecretsRead = "secrets:read";
    public const string SecretsWrite = "secrets:write";
    public const string SecretsReveal = "secrets:reveal";
    public const string ProjectsWrite = "projects:write";

    /// <summary>Permanently remove a deleted secret (no restore possible): separate from <see cref="SecretsWrite"/> on purpose.</summary>
    public const string SecretsPurge = "secrets:purge";

    /// <summary>Manage the organization's API keys and read its audit log.</summary>
    public const string Admin = "admin";

    public static IReadOnlyList<string> All { get; } = [SecretsRead, SecretsWrite, SecretsReveal, SecretsPurge, ProjectsWrite, Admin];

    public static bool IsKnown(string scope) => All.Contains(scope, StringComparer.Ordinal);
}
