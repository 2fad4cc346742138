namespace Integrations.Core.Identity.Users;

/// <summary>An organization a user belongs to and their role there (the <c>org</c> and <c>role</c> claims).</summary>
public sealed record UserOrganization(string OrganizationId, string Role);
