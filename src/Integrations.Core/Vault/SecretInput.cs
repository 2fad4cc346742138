namespace Integrations.Core.Vault;

/// <summary>What a create or update writes; null description or tags on update keep the current ones.</summary>
public sealed record SecretInput(string? Value, string? Description, IReadOnlyList<string>? Tags);
