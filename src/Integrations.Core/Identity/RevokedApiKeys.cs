namespace Integrations.Core.Identity;

/// <summary>A revocation's result: the key asked for and every key below it (its children, their children …) revoked with it.</summary>
public sealed record RevokedApiKeys(ApiKey Key, IReadOnlyList<string> DescendantIds);
