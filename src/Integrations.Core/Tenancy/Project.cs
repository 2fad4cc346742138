namespace Integrations.Core.Tenancy;

/// <summary>A project inside an organization: holds secrets (and later connections and webhooks).</summary>
public sealed record Project(string Id, string OrganizationId, string Name, string CreatedBy, DateTimeOffset CreatedAt)
{
    /// <summary>The MAC binding the project to its organization; null for a row in the foundation's format (refused until <c>ihub upgrade</c>).</summary>
    public string? Mac { get; init; }
}
