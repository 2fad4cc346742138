namespace Integrations.Core.Vault;

/// <summary>What a create or update writes; on update a null description, tags, auth type, metadata, expiry or rotation period keeps the current one.</summary>
public sealed record SecretInput(
    string? Value, string? Description, IReadOnlyList<string>? Tags, string? AuthType = null, IReadOnlyDictionary<string, string>? Metadata = null,
    DateTimeOffset? ExpiresAt = null, TimeSpan? RotateEvery = null);
