namespace Integrations.Core.Vault;

/// <summary>A version without its value.</summary>
public sealed record SecretVersionInfo(int Version, string CreatedBy, DateTimeOffset CreatedAt);
