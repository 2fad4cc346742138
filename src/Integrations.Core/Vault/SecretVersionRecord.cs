using Integrations.Core.Crypto;

namespace Integrations.Core.Vault;

/// <summary>One version of a secret's value.</summary>
public sealed record SecretVersionRecord(SecretLocation Location, int Version, SealedSecret Value, string CreatedBy, DateTimeOffset CreatedAt);
