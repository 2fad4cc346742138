using Integrations.Core.Identity.Invitations;
using Integrations.Core.Identity.Organizations;
using Integrations.Core.Identity.Recovery;

namespace Integrations.Core.Tests.Identity.Invitations;

/// <summary>The invitation token's shape, and the records that hold one never printing it.</summary>
public sealed class InvitationTokenTests
{
    [Fact]
    public void Generate_IsWellFormed_WithItsOwnPrefix_AndARecoveryTokenIsNot()
    {
        var token = InvitationToken.Generate();

        Assert.StartsWith("ihi_", token, StringComparison.Ordinal);
        Assert.Equal(InvitationToken.Length, token.Length);
        Assert.True(InvitationToken.IsWellFormed(token));
        Assert.False(InvitationToken.IsWellFormed(RecoveryToken.Generate(RecoveryPurpose.PasswordReset)));
        Assert.False(InvitationToken.IsWellFormed("ihi_" + token[4..^1] + (token[^1] == 'A' ? 'B' : 'A')));
        Assert.False(InvitationToken.IsWellFormed(token.AsSpan(0, token.Length - 1)));
    }

    [Fact]
    public void ToString_OfRecordsHoldingATokenOrAddress_ShowsNeither()
    {
        var token = InvitationToken.Generate();
        var now = new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);
        var invitation = new Invitation(new string('a', 64), "inv_" + new string('b', 20), "org_" + new string('c', 20), "Someone@example.com", "someone@example.com",
            OrganizationRole.Admin, "usr_" + new string('d', 20), now, now.AddDays(7));
        var issued = new IssuedInvitation(invitation, token, "https://app.example.com/auth/accept-invitation?token=" + token);

        var printed = $"{issued} {invitation}";

        Assert.DoesNotContain(token[4..], printed, StringComparison.Ordinal);
        Assert.DoesNotContain("someone@example.com", printed, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(new string('a', 64), printed, StringComparison.Ordinal);
        Assert.Contains(invitation.Id, printed, StringComparison.Ordinal);
    }
}
