namespace Integrations.Core.Identity.Organizations;

/// <summary>
/// Error codes of an organization's member routes. Each is a problem <c>type</c> with an entry in docs/problems.md
/// (## Identity: members and invitations).
/// </summary>
public static class MemberErrors
{
    /// <summary>The change would leave the organization without an Owner (demoting or removing the last one).</summary>
    public const string LastOwner = "last-owner";

    /// <summary>Granting or taking away the Owner role, or changing or removing an Owner, is for Owners only.</summary>
    public const string OwnerOnly = "owner-only";

    /// <summary>The personal organization's owner (the person it was made for at sign-up) cannot be removed from it.</summary>
    public const string PersonalOwner = "personal-owner";

    /// <summary>The role is not one of owner, admin, member, viewer (field <c>role</c>).</summary>
    public const string InvalidRole = "invalid-role";

    /// <summary>The membership kept changing while it was being changed; try again.</summary>
    public const string MembershipChanged = "membership-changed";
}
