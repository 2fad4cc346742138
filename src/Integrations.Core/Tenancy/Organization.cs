namespace Integrations.Core.Tenancy;

/// <summary>An organization: the tenant. Everything a caller can see belongs to exactly one.</summary>
public sealed record Organization(string Id, string Name, DateTimeOffset CreatedAt);
