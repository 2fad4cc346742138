namespace Integrations.Core.Identity.Invitations;

/// <summary>Error codes of the invitation routes. Each is a problem <c>type</c> with an entry in docs/problems.md (## Invitations).</summary>
public static class InvitationErrors
{
    /// <summary>The token is malformed, has a wrong checksum, is unknown, was already used or revoked (field <c>token</c>).</summary>
    public const string InvalidInvitation = "invalid-invitation";

    /// <summary>The invitation's time ran out (field <c>token</c>).</summary>
    public const string InvitationExpired = "invitation-expired";

    /// <summary>The signed-in person's address is not the invited one.</summary>
    public const string InvitationEmailMismatch = "invitation-email-mismatch";

    /// <summary>The signed-in person has not verified their address yet.</summary>
    public const string EmailNotVerified = "email-not-verified";

    /// <summary>The person is already a member of the organization.</summary>
    public const string AlreadyMember = "already-member";
}
