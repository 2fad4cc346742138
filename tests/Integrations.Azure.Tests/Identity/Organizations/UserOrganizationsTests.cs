using Azure;
using Azure.Data.Tables;
using Integrations.Core.Common;
using Integrations.Core.Identity.Organizations;
using Integrations.Core.Identity.Users;
using Integrations.Core.Tenancy;
using Microsoft.Extensions.DependencyInjection;

namespace Integrations.Azure.Tests.Identity.Organizations;

/// <summary>
/// Memberships on Azurite: the personal organization made once per user, <c>FindAsync</c>'s answers, and an attacker who
/// writes membership rows directly with the Tables SDK (they cannot compute the row MAC).
/// </summary>
public sealed class UserOrganizationsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task CreatePersonalOrganization_CalledTwice_MakesOneOrganizationWithTheUserAsOwner()
    {
        await using var hub = await StartAsync();
        var user = NewUser("Ada Lovelace");
        var organizations = hub.Get<UserOrganizations>();

        await organizations.CreatePersonalOrganizationAsync(user);
        await organizations.CreatePersonalOrganizationAsync(user);

        var membership = Assert.Single(await hub.Get<IMembershipStore>().ListByUserAsync(user.Id));
        Assert.Equal((OrganizationRole.Owner, true), (membership.Role, membership.Personal));
        var organization = await hub.Get<ITenancyStore>().GetOrganizationAsync(membership.OrganizationId);
        Assert.Equal("Ada Lovelace's organization", organization?.Name);
        Assert.Equal(new UserOrganization(membership.OrganizationId, "owner"), await organizations.FindAsync(user.Id, null));
    }

    [Fact]
    public async Task Find_AnOrganizationTheUserIsNotIn_IsNull_AndOneTheyAreIn_GivesTheirRole()
    {
        await using var hub = await StartAsync();
        var user = NewUser("Grace");
        var organizations = hub.Get<UserOrganizations>();
        await organizations.CreatePersonalOrganizationAsync(user);
        var other = Ids.New("org");
        await hub.Get<IMembershipStore>().AddAsync(new Membership(other, user.Id, OrganizationRole.Member, Personal: false, Now));

        var member = await organizations.FindAsync(user.Id, other);
        var stranger = await organizations.FindAsync(user.Id, Ids.New("org"));
        var madeUp = await organizations.FindAsync(user.Id, "not-an-id");
        var byDefault = await organizations.FindAsync(user.Id, null);

        Assert.Equal(new UserOrganization(other, "member"), member);
        Assert.Null(stranger);
        Assert.Null(madeUp);
        Assert.Equal(UserOrganizations.PersonalOrganizationId(user.Id), byDefault?.OrganizationId);
    }

    [Fact]
    public async Task MembershipRow_RoleRaisedDirectlyInStorage_IsRefusedAsAbsent()
    {
        await using var hub = await StartAsync();
        var user = NewUser("Viewer");
        var organization = Ids.New("org");
        await hub.Get<IMembershipStore>().AddAsync(new Membership(organization, user.Id, OrganizationRole.Viewer, Personal: false, Now));
        var users = UsersTable(hub);
        var row = (await users.GetEntityAsync<TableEntity>(user.Id, "m:" + organization)).Value;
        row["Role"] = "owner";
        await users.UpdateEntityAsync(row, ETag.All, TableUpdateMode.Replace);

        var found = await hub.Get<UserOrganizations>().FindAsync(user.Id, organization);

        Assert.Null(found);
    }

    [Fact]
    public async Task MembershipRow_CopiedUnderTheAttackersUserId_IsRefused()
    {
        await using var hub = await StartAsync();
        var victim = NewUser("Victim");
        var attacker = NewUser("Attacker");
        var organization = Ids.New("org");
        await hub.Get<IMembershipStore>().AddAsync(new Membership(organization, victim.Id, OrganizationRole.Owner, Personal: false, Now));
        var users = UsersTable(hub);
        var row = (await users.GetEntityAsync<TableEntity>(victim.Id, "m:" + organization)).Value;
        await users.AddEntityAsync(new TableEntity(row) { PartitionKey = attacker.Id });

        var found = await hub.Get<UserOrganizations>().FindAsync(attacker.Id, organization);
        var listed = await hub.Get<IMembershipStore>().ListByUserAsync(attacker.Id);

        Assert.Null(found);
        Assert.Empty(listed);
    }

    [Fact]
    public async Task MembershipRow_MovedToAnotherOrganizationOfTheUser_IsRefused()
    {
        await using var hub = await StartAsync();
        var attacker = NewUser("Attacker");
        var own = Ids.New("org");
        var target = Ids.New("org");
        await hub.Get<IMembershipStore>().AddAsync(new Membership(own, attacker.Id, OrganizationRole.Owner, Personal: false, Now));
        var users = UsersTable(hub);
        var row = (await users.GetEntityAsync<TableEntity>(attacker.Id, "m:" + own)).Value;
        await users.AddEntityAsync(new TableEntity(row) { RowKey = "m:" + target });

        var found = await hub.Get<UserOrganizations>().FindAsync(attacker.Id, target);

        Assert.Null(found);
        Assert.Equal([own], (await hub.Get<IMembershipStore>().ListByUserAsync(attacker.Id)).Select(m => m.OrganizationId));
    }

    [Fact]
    public async Task MembershipIndexRow_CopiedIntoTheUsersPartitionAsAnAuthorityRow_IsRefused()
    {
        await using var hub = await StartAsync();
        var attacker = NewUser("Attacker");
        var organization = Ids.New("org");
        // The attacker's own index row put in place of their authority row: the same fields, MAC'd in the index domain. Were the
        // two domains one, an index row could stand in for an authority row.
        await hub.Get<IMembershipStore>().AddAsync(new Membership(organization, attacker.Id, OrganizationRole.Viewer, Personal: false, Now));
        var index = (await new TableClient(hub.ConnectionString, hub.Prefix + "memberships").GetEntityAsync<TableEntity>(organization, attacker.Id)).Value;
        var users = UsersTable(hub);
        await users.UpsertEntityAsync(new TableEntity(index) { PartitionKey = attacker.Id, RowKey = "m:" + organization }, TableUpdateMode.Replace);

        var found = await hub.Get<UserOrganizations>().FindAsync(attacker.Id, organization);

        Assert.Null(found);
    }

    [Fact]
    public async Task MembershipRow_Planted_WithoutAMac_IsRefused()
    {
        await using var hub = await StartAsync();
        var attacker = NewUser("Attacker");
        var organization = Ids.New("org");
        await UsersTable(hub).AddEntityAsync(new TableEntity(attacker.Id, "m:" + organization) { ["Role"] = "owner", ["Personal"] = false, ["CreatedAt"] = Now });

        var found = await hub.Get<UserOrganizations>().FindAsync(attacker.Id, organization);

        Assert.Null(found);
    }

    [Fact]
    public async Task Remove_DeletesTheAuthorityRowFromTheUsersPartition_AndTheIndexRow()
    {
        await using var hub = await StartAsync();
        var user = NewUser("Leaving");
        var organization = Ids.New("org");
        var store = hub.Get<IMembershipStore>();
        await store.AddAsync(new Membership(organization, user.Id, OrganizationRole.Member, Personal: false, Now));

        var removed = await store.RemoveAsync(user.Id, organization);

        Assert.True(removed);
        Assert.False((await UsersTable(hub).GetEntityIfExistsAsync<TableEntity>(user.Id, "m:" + organization)).HasValue);
        Assert.Empty(await store.ListByOrganizationAsync(organization));
        Assert.Null(await store.FindAsync(user.Id, organization));
    }

    private static Task<HubServices> StartAsync() => HubServices.StartAsync(configure: services => services.AddIntegrationsMemberships());

    // A membership's authority row lives in its user's partition of the users table (RowKey m:{organizationId}).
    private static TableClient UsersTable(HubServices hub) => new(hub.ConnectionString, hub.Prefix + "users");

    private static User NewUser(string displayName) =>
        new(Ids.New(User.IdPrefix), "someone@example.com", "someone@example.com", null, false, displayName, Now, Now, null, "stamp");
}
