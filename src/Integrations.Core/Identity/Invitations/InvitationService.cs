using Integrations.Core.Common;
using Integrations.Core.Crypto;
using Integrations.Core.Identity.Organizations;
using Integrations.Core.Identity.Passwords;
using Integrations.Core.Identity.Users;
using Integrations.Core.Tenancy;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Integrations.Core.Identity.Invitations;

/// <summary>
/// Invitations to an organization: single-use tokens (<see cref="InvitationToken"/>), stored only as keyed hashes in MAC'd
/// rows, that let the person holding the invited address — signed in, address verified — join with the invited role.
/// </summary>
/// <remarks>
/// <para>A token alone is not enough: accepting needs the invited person's own access token, and their account's address
/// must be the invited one (by lookup key) and verified. So a leaked link, or the token the inviter saw, admits nobody else.</para>
/// <para>One pending invitation per (organization, address): a new invitation for the same address revokes the earlier
/// ones (their tokens stop working), so the latest role and lifetime are the ones that count.</para>
/// <para>Accepting deletes the invitation's row conditional on its ETag before adding the membership: of two concurrent
/// accepts exactly one wins; the other sees an unknown token.</para>
/// </remarks>
public sealed partial class InvitationService(
    IInvitationStore invitations,
    IMembershipStore memberships,
    OrganizationMembers members,
    IUserStore users,
    ITenancyStore tenancy,
    KeyRing keyRing,
    InvitationDelivery delivery,
    IOptions<InvitationOptions> options,
    TimeProvider time,
    ILogger<InvitationService> logger)
{
    /// <summary>
    /// Invites <paramref name="email"/> into the organization as <paramref name="roleName"/>, revoking earlier invitations of
    /// the address there, and delivers the token (event, mail). Only an owner (<paramref name="actingAsOwner"/>) invites an owner.
    /// </summary>
    public async Task<Result<IssuedInvitation>> CreateAsync(
        string organizationId, string? email, string? roleName, string invitedBy, bool actingAsOwner, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(organizationId);
        ArgumentException.ThrowIfNullOrEmpty(invitedBy);
        if (OrganizationRoles.Parse(roleName) is not { } role)
        {
            return HubError.Invalid(MemberErrors.InvalidRole, "role must be one of owner, admin, member, viewer.", "role");
        }

        var address = EmailAddress.Parse(email);
        if (!address.IsSuccess)
        {
            return address.Error;
        }

        if (role == OrganizationRole.Owner && !actingAsOwner)
        {
            return new HubError(ErrorKind.Forbidden, MemberErrors.OwnerOnly, "Only an owner may invite an owner.");
        }

        var lookupKey = address.Value.LookupKey;
        if (await users.FindByEmailAsync(lookupKey, cancellationToken).ConfigureAwait(false) is { } existing
            && await memberships.FindAsync(existing.Id, organizationId, cancellationToken).ConfigureAwait(false) is not null)
        {
            return AlreadyMember();
        }

        foreach (var earlier in (await invitations.ListAsync(organizationId, cancellationToken).ConfigureAwait(false))
            .Where(i => string.Equals(i.EmailLookupKey, lookupKey, StringComparison.Ordinal)))
        {
            await invitations.DeleteAsync(earlier, cancellationToken).ConfigureAwait(false);
            Log.Replaced(logger, earlier.Id, organizationId);
        }

        var now = time.GetUtcNow();
        var token = InvitationToken.Generate();
        var hash = InvitationToken.LookupHash(await keyRing.GetAuthorityKeyAsync(cancellationToken).ConfigureAwait(false), token);
        var invitation = new Invitation(hash, Ids.New(Invitation.IdPrefix), organizationId, address.Value.Value, lookupKey, role, invitedBy, now,
            now + options.Value.InvitationLifetime);
        await invitations.AddAsync(invitation, cancellationToken).ConfigureAwait(false);
        var issued = new IssuedInvitation(invitation, token, delivery.LinkFor(token));
        Log.Created(logger, invitation.Id, organizationId, role, invitedBy);
        var organization = await tenancy.GetOrganizationAsync(organizationId, cancellationToken).ConfigureAwait(false);
        await delivery.DeliverAsync(issued, organization?.Name, cancellationToken).ConfigureAwait(false);
        return issued;
    }

    /// <summary>The organization's pending (unexpired) invitations, oldest first.</summary>
    public async Task<IReadOnlyList<Invitation>> ListPendingAsync(string organizationId, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        return (await invitations.ListAsync(organizationId, cancellationToken).ConfigureAwait(false)).Where(i => i.ExpiresAt > now).ToList();
    }

    /// <summary>Revokes the invitation: its token stops working. Only an owner revokes an invitation to be owner.</summary>
    public async Task<Result<Invitation>> RevokeAsync(string organizationId, string? invitationId, bool actingAsOwner, CancellationToken cancellationToken = default)
    {
        var invitation = Ids.IsValid(Invitation.IdPrefix, invitationId)
            ? await invitations.FindAsync(organizationId, invitationId!, cancellationToken).ConfigureAwait(false)
            : null;
        if (invitation is null)
        {
            return HubError.NotFound("invitation");
        }

        if (invitation.Role == OrganizationRole.Owner && !actingAsOwner)
        {
            return new HubError(ErrorKind.Forbidden, MemberErrors.OwnerOnly, "Only an owner may revoke an invitation to be owner.");
        }

        await invitations.DeleteAsync(invitation, cancellationToken).ConfigureAwait(false);
        Log.Revoked(logger, invitation.Id, organizationId);
        return invitation;
    }

    /// <summary>
    /// <paramref name="userId"/> (signed in) accepts with <paramref name="token"/>: the token must be valid, unexpired and unused,
    /// and the person's account must hold the invited address, verified. Adds the membership with the invited role.
    /// </summary>
    public async Task<Result<Membership>> AcceptAsync(string userId, string? token, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        if (token is null || !InvitationToken.IsWellFormed(token))
        {
            return Invalid("malformed or wrong checksum");
        }

        var hash = InvitationToken.LookupHash(await keyRing.GetAuthorityKeyAsync(cancellationToken).ConfigureAwait(false), token);
        var invitation = await invitations.FindByTokenAsync(hash, cancellationToken).ConfigureAwait(false);
        if (invitation is null)
        {
            return Invalid("unknown, used or revoked");
        }

        if (time.GetUtcNow() >= invitation.ExpiresAt)
        {
            Log.Refused(logger, "expired");
            return HubError.Invalid(InvitationErrors.InvitationExpired, "The invitation has expired. Ask for a new one.", "token");
        }

        var user = await users.GetAsync(userId, cancellationToken).ConfigureAwait(false);
        if (user is null || !string.Equals(user.EmailLookupKey, invitation.EmailLookupKey, StringComparison.Ordinal))
        {
            Log.Refused(logger, "another address");
            return new HubError(ErrorKind.Forbidden, InvitationErrors.InvitationEmailMismatch,
                "The invitation is for another email address. Sign in with the account of the invited address.");
        }

        if (!user.EmailVerified)
        {
            Log.Refused(logger, "address not verified");
            return new HubError(ErrorKind.Forbidden, InvitationErrors.EmailNotVerified, "Verify your email address first, then accept the invitation.");
        }

        if (await memberships.FindAsync(userId, invitation.OrganizationId, cancellationToken).ConfigureAwait(false) is not null)
        {
            return AlreadyMember();
        }

        if (await invitations.ConsumeAsync(invitation, cancellationToken).ConfigureAwait(false) != WriteOutcome.Written)
        {
            return Invalid("used by a concurrent accept");
        }

        var membership = new Membership(invitation.OrganizationId, userId, invitation.Role, Personal: false, time.GetUtcNow());
        if (await memberships.AddAsync(membership, cancellationToken).ConfigureAwait(false) != WriteOutcome.Written)
        {
            return AlreadyMember();
        }

        Log.Accepted(logger, invitation.Id, invitation.OrganizationId, userId, invitation.Role);
        await members.AnnounceAdditionAsync(membership, invitation.Id, cancellationToken).ConfigureAwait(false);
        return membership;
    }

    private HubError Invalid(string reason)
    {
        Log.Refused(logger, reason);
        return HubError.Invalid(InvitationErrors.InvalidInvitation, "The invitation is not valid (or was already used or revoked). Ask for a new one.", "token");
    }

    private static HubError AlreadyMember() =>
        HubError.Conflict(InvitationErrors.AlreadyMember, "The person is already a member of the organization.");

    // Event ids 9790-9819 are invitations'. Ids only: never a token or an address.
    private static partial class Log
    {
        [LoggerMessage(EventId = 9790, Level = LogLevel.Information, Message = "Invitation {InvitationId} to organization {OrganizationId} as {Role} created by {InvitedBy}.")]
        public static partial void Created(ILogger logger, string invitationId, string organizationId, OrganizationRole role, string invitedBy);

        [LoggerMessage(EventId = 9791, Level = LogLevel.Information, Message = "Invitation {InvitationId} to organization {OrganizationId} replaced by a newer one for the same address.")]
        public static partial void Replaced(ILogger logger, string invitationId, string organizationId);

        [LoggerMessage(EventId = 9792, Level = LogLevel.Information, Message = "Invitation {InvitationId} to organization {OrganizationId} revoked.")]
        public static partial void Revoked(ILogger logger, string invitationId, string organizationId);

        [LoggerMessage(EventId = 9793, Level = LogLevel.Information, Message = "Invitation refused: {Reason}.")]
        public static partial void Refused(ILogger logger, string reason);

        [LoggerMessage(EventId = 9794, Level = LogLevel.Information, Message = "Invitation {InvitationId} accepted: user {UserId} joined organization {OrganizationId} as {Role}.")]
        public static partial void Accepted(ILogger logger, string invitationId, string organizationId, string userId, OrganizationRole role);
    }
}
