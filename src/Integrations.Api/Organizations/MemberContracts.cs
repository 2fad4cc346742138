using Integrations.Core.Identity.Organizations;

namespace Integrations.Api.Organizations;

/// <summary><c>PATCH /v1/orgs/{orgId}/members/{userId}</c>.</summary>
public sealed record ChangeMemberRequest(string? Role);

/// <summary>A member as listed and as answered by a change.</summary>
public sealed record MemberResponse(string UserId, string? Email, string? DisplayName, string Role, bool Personal, DateTimeOffset Since)
{
    public static MemberResponse From(OrganizationMember member)
    {
        ArgumentNullException.ThrowIfNull(member);
        return From(member.Membership, member.Email, member.DisplayName);
    }

    public static MemberResponse From(Membership membership, string? email = null, string? displayName = null)
    {
        ArgumentNullException.ThrowIfNull(membership);
        return new(membership.UserId, email, displayName, OrganizationRoles.Name(membership.Role), membership.Personal, membership.CreatedAt);
    }
}
