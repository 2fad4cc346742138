namespace Integrations.Core.Identity;

/// <summary>A key just created: the only moment its secret exists outside the caller's hands.</summary>
public sealed record IssuedApiKey(ApiKey Key, string Token);
