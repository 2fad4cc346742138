namespace Integrations.Core.Identity.Organizations;

/// <summary>
/// A person's membership of an organization. Stored as an authority row MAC'd over every field, so someone who can write
/// the storage account cannot make themselves a member, raise their role or move a membership to another organization.
/// </summary>
/// <param name="OrganizationId">The organization.</param>
/// <param name="UserId">The member.</param>
/// <param name="Role">Their role there.</param>
/// <param name="Personal">True for the organization made for the person at sign-up: their default one.</param>
/// <param name="CreatedAt">When they became a member.</param>
public sealed record Membership(string OrganizationId, string UserId, OrganizationRole Role, bool Personal, DateTimeOffset CreatedAt);
