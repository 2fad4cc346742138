using Azure;
using Azure.Data.Tables;
using Integrations.Azure.Tests.Identity.Recovery;
using Integrations.Azure.Tests.Identity.Users;
using Integrations.Core.Common;
using Integrations.Core.Identity.Administration;
using Integrations.Core.Identity.Invitations;
using Integrations.Core.Identity.Organizations;
using Integrations.Core.Identity.Recovery;
using Integrations.Core.Identity.Users;

namespace Integrations.Azure.Tests.Identity.Invitations;

/// <summary>
/// Invitations on Azurite with a fake clock: expiry, single use under concurrency, and an attacker who writes the
/// <c>invitations</c> table directly with the Tables SDK (raising a role, re-pointing an invitation at another organization
/// or address, swapping a stronger invitation's row under their own token, planting index rows) — they cannot compute the MAC.
/// </summary>
public sealed class InvitationServiceTests
{
    private const string Inviter = "usr_inviterinviterinvit";

    [Fact]
    public async Task Accept_AtTheEndOfTheLifetime_IsExpired_AndASecondBeforeItWorks()
    {
        await using var hub = await StartAsync();
        var organization = Ids.New("org");
        var late = await InviteAsync(hub, organization, "late@example.com", "member");
        var onTime = await InviteAsync(hub, Ids.New("org"), "ontime@example.com", "member");
        var lateUser = await VerifiedUserAsync(hub, "late@example.com");
        var onTimeUser = await VerifiedUserAsync(hub, "ontime@example.com");

        hub.Time.Advance(TimeSpan.FromDays(7) - TimeSpan.FromSeconds(1));
        var inTime = await Service(hub).AcceptAsync(onTimeUser.Id, onTime.Token);
        hub.Time.Advance(TimeSpan.FromSeconds(1));
        var expired = await Service(hub).AcceptAsync(lateUser.Id, late.Token);

        Assert.True(inTime.IsSuccess, inTime.Error?.Code);
        Assert.Equal(InvitationErrors.InvitationExpired, expired.Error?.Code);
        Assert.Null(await hub.Services.Get<IMembershipStore>().FindAsync(lateUser.Id, organization));
        Assert.Empty(await Service(hub).ListPendingAsync(organization));
    }

    [Fact]
    public async Task Accept_EightAtOnce_ExactlyOneWins_AndOneMembershipExists()
    {
        await using var hub = await StartAsync();
        var organization = Ids.New("org");
        var issued = await InviteAsync(hub, organization, "race@example.com", "admin");
        var user = await VerifiedUserAsync(hub, "race@example.com");

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => Service(hub).AcceptAsync(user.Id, issued.Token))));

        Assert.Single(outcomes, o => o.IsSuccess);
        Assert.All(outcomes.Where(o => !o.IsSuccess), o => Assert.Contains(o.Error!.Code, new[] { InvitationErrors.InvalidInvitation, InvitationErrors.AlreadyMember }));
        Assert.Equal(OrganizationRole.Admin, (await hub.Services.Get<IMembershipStore>().FindAsync(user.Id, organization))?.Role);
    }

    [Fact]
    public async Task Consume_TwiceFromOneReading_OnlyTheFirstTakesTheInvitation()
    {
        // Two accepts that both read the invitation before either consumed it: the second's delete finds no row. (The
        // Tables SDK answers that delete with a 404 response instead of throwing; read as written, both took it.)
        await using var hub = await StartAsync();
        var issued = await InviteAsync(hub, Ids.New("org"), "twice@example.com", "member");
        var store = hub.Services.Get<IInvitationStore>();
        var read = await store.FindByTokenAsync(issued.Invitation.LookupHash);
        Assert.NotNull(read);

        var first = await store.ConsumeAsync(read);
        var second = await store.ConsumeAsync(read);

        Assert.Equal(WriteOutcome.Written, first);
        Assert.Equal(WriteOutcome.NotFound, second);
    }

    [Fact]
    public async Task StorageWriter_RaisingTheRole_OrRepointingOrganizationOrAddress_MakesTheInvitationInvalid()
    {
        await using var hub = await StartAsync();
        var attacker = await VerifiedUserAsync(hub, "mallory@example.com");
        var table = Table(hub);
        var raised = await InviteAsync(hub, Ids.New("org"), "mallory@example.com", "viewer");
        await TamperAsync(table, raised, row => row["Role"] = "owner");
        var moved = await InviteAsync(hub, Ids.New("org"), "mallory@example.com", "viewer");
        var victimOrganization = Ids.New("org");
        await TamperAsync(table, moved, row => row["OrganizationId"] = victimOrganization);
        var forSomeoneElse = await InviteAsync(hub, Ids.New("org"), "alice@example.com", "admin");
        await TamperAsync(table, forSomeoneElse, row =>
        {
            row["Email"] = "mallory@example.com";
            row["EmailLookupKey"] = "mallory@example.com";
        });

        var outcomes = new[]
        {
            await Service(hub).AcceptAsync(attacker.Id, raised.Token),
            await Service(hub).AcceptAsync(attacker.Id, moved.Token),
            await Service(hub).AcceptAsync(attacker.Id, forSomeoneElse.Token),
        };

        Assert.All(outcomes, o => Assert.Equal(InvitationErrors.InvalidInvitation, o.Error?.Code));
        // Only the personal organization sign-up made for them.
        Assert.Equal([UserOrganizations.PersonalOrganizationId(attacker.Id)],
            (await hub.Services.Get<IMembershipStore>().ListByUserAsync(attacker.Id)).Select(m => m.OrganizationId));
    }

    [Fact]
    public async Task StorageWriter_CopyingAStrongerInvitationsRowUnderTheirOwnToken_IsRefused()
    {
        await using var hub = await StartAsync();
        var attacker = await VerifiedUserAsync(hub, "mallory@example.com");
        var organization = Ids.New("org");
        var own = await InviteAsync(hub, organization, "mallory@example.com", "viewer");
        // An owner invitation (of another organization) for the attacker's own address too: only the row's MAC stands in the way.
        var stronger = await InviteAsync(hub, Ids.New("org"), "mallory@example.com", "owner");
        var table = Table(hub);
        var strongerRow = (await table.GetEntityAsync<TableEntity>(stronger.Invitation.LookupHash, "inv")).Value;
        await table.UpsertEntityAsync(new TableEntity(strongerRow) { PartitionKey = own.Invitation.LookupHash, RowKey = "inv" }, TableUpdateMode.Replace);

        var outcome = await Service(hub).AcceptAsync(attacker.Id, own.Token);

        Assert.Equal(InvitationErrors.InvalidInvitation, outcome.Error?.Code);
        Assert.Null(await hub.Services.Get<IMembershipStore>().FindAsync(attacker.Id, organization));
    }

    [Fact]
    public async Task StorageWriter_PlantingOrRaisingIndexRows_IsNotListed_AndCannotBeRevokedThrough()
    {
        await using var hub = await StartAsync();
        var organization = Ids.New("org");
        var other = Ids.New("org");
        var genuine = await InviteAsync(hub, organization, "bob@example.com", "viewer");
        var elsewhere = await InviteAsync(hub, other, "carol@example.com", "admin");
        var table = Table(hub);
        var genuineIndex = (await table.GetEntityAsync<TableEntity>(organization, genuine.Invitation.Id)).Value;
        genuineIndex["Role"] = "owner";
        await table.UpdateEntityAsync(genuineIndex, ETag.All, TableUpdateMode.Replace);
        var otherIndex = (await table.GetEntityAsync<TableEntity>(other, elsewhere.Invitation.Id)).Value;
        await table.UpsertEntityAsync(new TableEntity(otherIndex) { PartitionKey = organization }, TableUpdateMode.Replace);

        var listed = await Service(hub).ListPendingAsync(organization);
        var revokeThroughPlanted = await Service(hub).RevokeAsync(organization, elsewhere.Invitation.Id, actingAsOwner: true);

        Assert.Empty(listed);
        Assert.Equal(ErrorKind.NotFound, revokeThroughPlanted.Error?.Kind);
        Assert.NotNull(await hub.Services.Get<IInvitationStore>().FindByTokenAsync(elsewhere.Invitation.LookupHash));
    }

    [Fact]
    public async Task Create_ForAnAddressWithAPendingInvitation_RevokesTheEarlierOne()
    {
        await using var hub = await StartAsync();
        var organization = Ids.New("org");
        var first = await InviteAsync(hub, organization, "dave@example.com", "viewer");
        var second = await InviteAsync(hub, organization, "Dave@Example.com", "member");
        var user = await VerifiedUserAsync(hub, "dave@example.com");

        var withFirst = await Service(hub).AcceptAsync(user.Id, first.Token);
        var pending = Assert.Single(await Service(hub).ListPendingAsync(organization));
        var withSecond = await Service(hub).AcceptAsync(user.Id, second.Token);

        Assert.Equal(InvitationErrors.InvalidInvitation, withFirst.Error?.Code);
        Assert.Equal(second.Invitation.Id, pending.Id);
        Assert.Equal(OrganizationRole.Member, withSecond.Value?.Role);
        Assert.Empty(await Service(hub).ListPendingAsync(organization));
    }

    [Fact]
    public async Task DeleteExpired_RemovesBothRowsOfExpiredInvitations_AndKeepsLiveOnes()
    {
        await using var hub = await StartAsync();
        var organization = Ids.New("org");
        var old = await InviteAsync(hub, organization, "old@example.com", "member");
        hub.Time.Advance(TimeSpan.FromDays(5));
        var fresh = await InviteAsync(hub, organization, "fresh@example.com", "viewer");
        hub.Time.Advance(TimeSpan.FromDays(3)); // the first expired a day ago, the second has four days left

        var removed = await hub.Services.Get<IInvitationStore>().DeleteExpiredAsync(hub.Time.GetUtcNow() - TimeSpan.FromHours(12));

        Assert.Equal(1, removed);
        Assert.Null(await hub.Services.Get<IInvitationStore>().FindByTokenAsync(old.Invitation.LookupHash));
        Assert.Null(await hub.Services.Get<IInvitationStore>().FindAsync(organization, old.Invitation.Id));
        Assert.Equal(fresh.Invitation.Id, Assert.Single(await hub.Services.Get<IInvitationStore>().ListAsync(organization)).Id);
        var user = await VerifiedUserAsync(hub, "fresh@example.com");
        Assert.True((await Service(hub).AcceptAsync(user.Id, fresh.Token)).IsSuccess);
    }

    private static Task<UserHub> StartAsync() =>
        UserHub.StartAsync(settings: RecoveryHub.Settings(), configure: s => s.AddIntegrationsRecovery().AddIntegrationsInvitations());

    private static InvitationService Service(UserHub hub) => hub.Services.Get<InvitationService>();

    private static TableClient Table(UserHub hub) => new(hub.Services.ConnectionString, hub.Services.Prefix + "invitations");

    private static async Task<IssuedInvitation> InviteAsync(UserHub hub, string organizationId, string email, string role)
    {
        var issued = await Service(hub).CreateAsync(organizationId, email, role, Inviter, actingAsOwner: true);
        Assert.True(issued.IsSuccess, issued.Error?.Code);
        return issued.Value!;
    }

    private static async Task<User> VerifiedUserAsync(UserHub hub, string email)
    {
        var user = await hub.SignUpAsync(email);
        var verified = await hub.Services.Get<AdminUserService>().VerifyAsync(user.Id);
        Assert.True(verified.IsSuccess, verified.Error?.Code);
        return verified.Value!;
    }

    private static async Task TamperAsync(TableClient table, IssuedInvitation issued, Action<TableEntity> change)
    {
        var row = (await table.GetEntityAsync<TableEntity>(issued.Invitation.LookupHash, "inv")).Value;
        change(row);
        await table.UpdateEntityAsync(row, ETag.All, TableUpdateMode.Replace);
    }
}
