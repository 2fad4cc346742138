namespace Integrations.Core.Vault;

/// <summary>Error codes of the vault. Each is a problem <c>type</c> with an entry in docs/problems.md.</summary>
public static class VaultErrors
{
    public const string SecretExists = "secret-exists";
    public const string SecretNotDeleted = "secret-not-deleted";
    public const string UpdateContention = "update-contention";
    public const string InvalidVersion = "invalid-version";
    public const string InvalidValue = "invalid-value";

    /// <summary><c>rotate_every</c> is not an ISO 8601 duration between 1 day and 10 years.</summary>
    public const string InvalidRotationPeriod = "invalid-rotation-period";
    public const string ValueTooLarge = "value-too-large";
    public const string VersionMismatch = "version-mismatch";
    public const string InvalidTags = "invalid-tags";
    public const string InvalidDescription = "invalid-description";
    public const string InvalidAuthType = "invalid-auth-type";
    public const string InvalidMetadata = "invalid-metadata";
    public const string SecretQuotaExceeded = "secret-quota-exceeded";
    public const string VersionQuotaExceeded = "version-quota-exceeded";
}
