namespace Integrations.Core.Vault;

/// <summary>What a create or update writes; on update a null description, tags, auth type or metadata keeps the current one.</summary>
public sealed record SecretInput(
    string? Value, string? Description, IReadOnlyList<string>? Tags, string? AuthType = null, IReadOnlyDictionary<string, string>? Metadata = null);
