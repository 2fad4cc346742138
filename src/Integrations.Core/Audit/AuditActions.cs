namespace Integrations.Core.Audit;

/// <summary>Stable action names.</summary>
public static class AuditActions
{
    public const string OrganizationCreate = "org.create";
    public const string ProjectCreate = "project.create";
    public const string ProjectList = "project.list";
    public const string SecretCreate = "secret.create";
    public const string SecretRead = "secret.read";
    public const string SecretList = "secret.list";
    public const string SecretVersions = "secret.versions";
    public const string SecretReveal = "secret.reveal";
    public const string SecretUpdate = "secret.update";
    public const string SecretDelete = "secret.delete";
    public const string SecretRestore = "secret.restore";
    public const string SecretPurge = "secret.purge";
    public const string ApiKeyCreate = "apikey.create";
    public const string ApiKeyList = "apikey.list";
    public const string ApiKeyRevoke = "apikey.revoke";
    public const string KeyRotationStart = "keys.rotate";
    public const string KeyRotationRead = "keys.rotation.read";
    public const string AuditRead = "audit.read";
    public const string Authenticate = "auth";

    /// <summary>Actions that change state: an attempt record is written before they run, so none goes unaudited.</summary>
    public static IReadOnlySet<string> Changes { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        OrganizationCreate, ProjectCreate, SecretCreate, SecretUpdate, SecretDelete, SecretRestore, SecretPurge, ApiKeyCreate, ApiKeyRevoke, KeyRotationStart,
    };
}
