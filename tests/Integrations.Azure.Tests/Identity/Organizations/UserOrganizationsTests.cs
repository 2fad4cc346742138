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
/// writes the <c>memberships</c> table directly with the Tables SDK (they cannot compute the row MAC).
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
        var table = new TableClient(hub.ConnectionString, hub.Prefix + "memberships");
        var row = (await table.GetEntityAsync<TableEntity>(user.Id, organization)).Value;
        row["Role"] = "owner";
        await table.UpdateEntityAsync(row, ETag.All, TableUpdateMode.Replace);

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
        var table = new TableClient(hub.ConnectionString, hub.Prefix + "memberships");
        var row = (await table.GetEntityAsync<TableEntity>(victim.Id, organization)).Value;
        var copy = new TableEntity(row) { PartitionKey = attacker.Id };
        await table.AddEntityAsync(copy);

        var found = await hub.Get<UserOrganizations>().FindAsync(attacker.Id, organization);
        var listed = await hub.Get<IMembershipStore>().ListByUserAsync(attacker.Id);

        Assert.Null(found);
        Assert.Empty(listed);
    }

    [Fact]
    public async Task MembershipRow_Planted_WithoutAMac_IsRefused()
    {
        await using var hub = await StartAsync();
        var attacker = NewUser("Attacker");
        var organization = Ids.New("org");
        var table = new TableClient(hub.ConnectionString, hub.Prefix + "memberships");
        await table.AddEntityAsync(new TableEntity(attacker.Id, organization) { ["Role"] = "owner", ["Personal"] = false, ["CreatedAt"] = Now });

        var found = await hub.Get<UserOrganizations>().FindAsync(attacker.Id, organization);

        Assert.Null(found);
    }

    private static Task<HubServices> StartAsync() => HubServices.StartAsync(configure: services => services.AddIntegrationsMemberships());

    private static User NewUser(string displayName) =>
        new(Ids.New(User.IdPrefix), "someone@example.com", "someone@example.com", null, false, displayName, Now, Now, null, "stamp");
}
