namespace Integrations.Core.Vault;

/// <summary>A secret's value as revealed. The caller must not log or keep it.</summary>
public sealed record RevealedSecret(string Name, int Version, string Value);
