namespace Integrations.Core.Tenancy;

/// <summary>A project inside an organization: holds secrets (and later connections and webhooks).</summary>
public sealed record Project(string Id, string OrganizationId, string Name, string CreatedBy, DateTimeOffset CreatedAt);
