using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Integrations.Core.Common;
using Integrations.Core.Events;
using Integrations.Core.Identity.Organizations;
using Microsoft.Extensions.DependencyInjection;
using static Integrations.Api.Tests.HubFixture;

namespace Integrations.Api.Tests.Identity;

/// <summary>One hub for the member routes: sessions checked every second, per-caller and auth limits raised.</summary>
public sealed class MemberHubFixture : IAsyncLifetime
{
    public HubFixture Hub { get; } = new();

    public async Task InitializeAsync()
    {
        Hub.Settings["Auth:SessionCheckInterval"] = "00:00:01";
        Hub.Settings["RateLimits:Policies:auth"] = "1000";
        await Hub.InitializeAsync();
    }

    public Task DisposeAsync() => Hub.DisposeAsync();
}

/// <summary>
/// <c>/v1/orgs/{orgId}/members</c> over real HTTP: the list, role changes and removal under the owner rules, a removed member's
/// sessions ended, another organization's members not found, and a storage writer's planted index row refused.
/// </summary>
public sealed class MemberApiTests(MemberHubFixture fixture) : IClassFixture<MemberHubFixture>
{
    private HubFixture Hub => fixture.Hub;

    [Fact]
    public async Task ListMembers_AViewer_SeesEveryMemberWithEmailNameRoleAndSince()
    {
        var team = await TeamAsync();

        var listed = await Json(await team.Client(OrganizationRole.Viewer).GetAsync(team.Members), HttpStatusCode.OK);

        var items = listed["data"]!.AsArray();
        Assert.Equal(4, items.Count);
        var owner = items.Single(m => (string?)m!["user_id"] == team.People[OrganizationRole.Owner].UserId)!;
        Assert.Equal((team.People[OrganizationRole.Owner].Email, "Test Person", "owner", true),
            ((string?)owner["email"], (string?)owner["display_name"], (string?)owner["role"], (bool)owner["personal"]!));
        Assert.NotNull((string?)owner["since"]);
        Assert.Contains(items, m => (string?)m!["role"] == "viewer" && (string?)m["email"] == team.People[OrganizationRole.Viewer].Email);
    }

    [Fact]
    public async Task ListMembers_AnotherOrganizationsMembers_AreNotFound()
    {
        var team = await TeamAsync();
        var other = await TeamAsync();

        var response = await team.Client(OrganizationRole.Owner).GetAsync(other.Members);
        var change = await team.Client(OrganizationRole.Owner).PatchAsJsonAsync(other.Member(OrganizationRole.Viewer), new { role = "admin" });

        await Problem(response, HttpStatusCode.NotFound, "not-found");
        await Problem(change, HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task ChangeMember_DemotingTheLastOwner_Is409AndTheRoleStays()
    {
        var team = await TeamAsync();

        var demoted = await team.Client(OrganizationRole.Owner).PatchAsJsonAsync(team.Member(OrganizationRole.Owner), new { role = "admin" });

        await Problem(demoted, HttpStatusCode.Conflict, "last-owner");
        Assert.Equal(OrganizationRole.Owner, (await team.MembershipAsync(Hub, OrganizationRole.Owner))!.Role);
    }

    [Fact]
    public async Task ChangeMember_AnAdmin_ChangesMembersButNeitherGrantsNorTouchesOwner_AndAnOwnerDoes()
    {
        var team = await TeamAsync();
        var admin = team.Client(OrganizationRole.Admin);

        var grantOwner = await admin.PatchAsJsonAsync(team.Member(OrganizationRole.Member), new { role = "owner" });
        var demoteOwner = await admin.PatchAsJsonAsync(team.Member(OrganizationRole.Owner), new { role = "viewer" });
        var removeOwner = await admin.DeleteAsync(team.Member(OrganizationRole.Owner));
        var toViewer = await admin.PatchAsJsonAsync(team.Member(OrganizationRole.Member), new { role = "viewer" });
        var byOwner = await team.Client(OrganizationRole.Owner).PatchAsJsonAsync(team.Member(OrganizationRole.Admin), new { role = "owner" });
        var badRole = await admin.PatchAsJsonAsync(team.Member(OrganizationRole.Viewer), new { role = "Owner" });

        await Problem(grantOwner, HttpStatusCode.Forbidden, "owner-only");
        await Problem(demoteOwner, HttpStatusCode.Forbidden, "owner-only");
        await Problem(removeOwner, HttpStatusCode.Forbidden, "owner-only");
        Assert.Equal("viewer", (string?)(await Json(toViewer, HttpStatusCode.OK))["role"]);
        Assert.Equal("owner", (string?)(await Json(byOwner, HttpStatusCode.OK))["role"]);
        await Problem(badRole, HttpStatusCode.BadRequest, "invalid-role");
        Assert.Equal(OrganizationRole.Viewer, (await team.MembershipAsync(Hub, OrganizationRole.Member))!.Role);
    }

    [Fact]
    public async Task RemoveMember_ThePersonalOwner_IsRefused_AndAMemberNeitherChangesNorRemoves()
    {
        var team = await TeamAsync();

        var personal = await team.Client(OrganizationRole.Owner).DeleteAsync(team.Member(OrganizationRole.Owner));
        var byMember = await team.Client(OrganizationRole.Member).DeleteAsync(team.Member(OrganizationRole.Viewer));

        await Problem(personal, HttpStatusCode.Conflict, "personal-owner");
        await Problem(byMember, HttpStatusCode.Forbidden, "missing-scope");
    }

    [Fact]
    public async Task RemoveMember_EndsTheirSessions_AndEachProjectGetsAMemberRemovedEventWithoutSecrets()
    {
        var team = await TeamAsync();
        var owner = team.Client(OrganizationRole.Owner);
        var project = await Json(await owner.PostAsJsonAsync("/v1/projects", new { name = "team-project" }), HttpStatusCode.Created);
        var removedPerson = team.People[OrganizationRole.Member];
        var removedClient = team.Client(OrganizationRole.Member);
        await Json(await removedClient.GetAsync("/v1/me"), HttpStatusCode.OK);

        var removed = await owner.DeleteAsync(team.Member(OrganizationRole.Member));
        using var anonymous = Hub.Client();
        var refresh = await anonymous.PostAsJsonAsync("/v1/auth/refresh", new { refresh_token = removedPerson.RefreshToken });
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var afterInterval = await removedClient.GetAsync("/v1/me");
        var listed = await Json(await owner.GetAsync(team.Members), HttpStatusCode.OK);

        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        await Problem(refresh, HttpStatusCode.Unauthorized, "invalid-refresh-token");
        await Problem(afterInterval, HttpStatusCode.Unauthorized, "unauthenticated");
        Assert.DoesNotContain(listed["data"]!.AsArray(), m => (string?)m!["user_id"] == removedPerson.UserId);
        Assert.Null(await team.MembershipAsync(Hub, OrganizationRole.Member));
        var events = await Hub.Services.GetRequiredService<IEventOutbox>().ListAsync(team.OrganizationId, (string)project["id"]!,
            new ActivityQuery(new PageRequest(1, 50), HubEventTypes.MemberRemoved));
        var removedEvent = Assert.Single(events.Items);
        Assert.Equal(removedPerson.UserId, removedEvent.Data["user_id"]);
        Assert.Equal("", removedEvent.Data["connections"]);
    }

    [Fact]
    public async Task TwoOwnersDemotingEachOtherAtOnce_OneWins_AndTheOrganizationKeepsAnOwner()
    {
        var store = Hub.Services.GetRequiredService<IMembershipStore>();
        // A few rounds: without the owner lock both checks saw the other still an Owner, and the organization was left with none.
        for (var round = 0; round < 3; round++)
        {
            var team = await TeamAsync();
            var promoted = (await team.MembershipAsync(Hub, OrganizationRole.Admin))!;
            Assert.Equal(WriteOutcome.Written, await store.ChangeRoleAsync(promoted, OrganizationRole.Owner));
            using var anonymous = Hub.Client();
            var asOwner = await Json(await anonymous.PostAsJsonAsync("/v1/auth/refresh", new { refresh_token = team.People[OrganizationRole.Admin].RefreshToken }),
                HttpStatusCode.OK);
            using var secondOwner = Hub.Client((string)asOwner["access_token"]!);

            var answers = await Task.WhenAll(
                team.Client(OrganizationRole.Owner).PatchAsJsonAsync(team.Member(OrganizationRole.Admin), new { role = "admin" }),
                secondOwner.PatchAsJsonAsync(team.Member(OrganizationRole.Owner), new { role = "admin" }));

            Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], answers.Select(a => a.StatusCode).Order());
            await Problem(answers.Single(a => a.StatusCode == HttpStatusCode.Conflict), HttpStatusCode.Conflict, "last-owner");
            Assert.Single(await store.ListByOrganizationAsync(team.OrganizationId), m => m.Role == OrganizationRole.Owner);
        }
    }

    [Fact]
    public async Task AdminDeletesAMembersAccount_EachProjectGetsAMemberRemovedEvent_AndTheListDropsThem()
    {
        var team = await TeamAsync();
        var project = await Json(await team.Client(OrganizationRole.Owner).PostAsJsonAsync("/v1/projects", new { name = "team-project" }), HttpStatusCode.Created);
        var gone = team.People[OrganizationRole.Viewer];
        using var admin = Hub.Client(Hub.AdminKey);

        var deleted = await admin.DeleteAsync($"/v1/admin/users/{gone.UserId}");
        var listed = await Json(await team.Client(OrganizationRole.Owner).GetAsync(team.Members), HttpStatusCode.OK);

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.DoesNotContain(listed["data"]!.AsArray(), m => (string?)m!["user_id"] == gone.UserId);
        var events = await Hub.Services.GetRequiredService<IEventOutbox>().ListAsync(team.OrganizationId, (string)project["id"]!,
            new ActivityQuery(new PageRequest(1, 50), HubEventTypes.MemberRemoved));
        Assert.Equal(gone.UserId, Assert.Single(events.Items).Data["user_id"]);
    }

    [Fact]
    public async Task StorageWriter_PlantingAnIndexRow_IsNotListed_AndDoesNotCountAsAnotherOwner()
    {
        var team = await TeamAsync();
        var table = new TableServiceClient(Hub.ConnectionString).GetTableClient(Hub.Prefix + "memberships");
        // The attacker copies the owner's genuine index row under another user id (and another row's authority MAC).
        var ownerIndex = (await table.GetEntityAsync<TableEntity>(team.OrganizationId, team.People[OrganizationRole.Owner].UserId)).Value;
        var users = new TableServiceClient(Hub.ConnectionString).GetTableClient(Hub.Prefix + "users");
        var ownerAuthority = (await users.GetEntityAsync<TableEntity>(team.People[OrganizationRole.Owner].UserId, "m:" + team.OrganizationId)).Value;
        var planted = new TableEntity(ownerIndex) { PartitionKey = team.OrganizationId, RowKey = "usr_" + new string('a', 20) };
        await table.UpsertEntityAsync(planted);
        var raised = new TableEntity(ownerIndex) { PartitionKey = team.OrganizationId, RowKey = team.People[OrganizationRole.Viewer].UserId };
        await table.UpsertEntityAsync(raised);
        var authorityCopy = new TableEntity(ownerAuthority) { PartitionKey = team.OrganizationId, RowKey = team.People[OrganizationRole.Admin].UserId };
        await table.UpsertEntityAsync(authorityCopy);

        var listed = await Json(await team.Client(OrganizationRole.Owner).GetAsync(team.Members), HttpStatusCode.OK);
        var demoted = await team.Client(OrganizationRole.Owner).PatchAsJsonAsync(team.Member(OrganizationRole.Owner), new { role = "admin" });

        var items = listed["data"]!.AsArray();
        Assert.DoesNotContain(items, m => ((string?)m!["user_id"])!.StartsWith("usr_aaaa", StringComparison.Ordinal));
        Assert.Single(items, m => (string?)m!["role"] == "owner");
        Assert.Equal(2, items.Count); // Owner and Member: the Viewer's and the Admin's index rows were overwritten by forgeries.
        await Problem(demoted, HttpStatusCode.Conflict, "last-owner");
    }

    private async Task<Team> TeamAsync()
    {
        var owner = await SignUpAsync();
        var organizationId = owner.OrganizationId;
        var people = new Dictionary<OrganizationRole, Person> { [OrganizationRole.Owner] = owner };
        var store = Hub.Services.GetRequiredService<IMembershipStore>();
        foreach (var role in new[] { OrganizationRole.Admin, OrganizationRole.Member, OrganizationRole.Viewer })
        {
            var person = await SignUpAsync();
            await store.AddAsync(new Membership(organizationId, person.UserId, role, Personal: false, TimeProvider.System.GetUtcNow()));
            using var anonymous = Hub.Client();
            var login = await Json(await anonymous.PostAsJsonAsync("/v1/auth/login", new { email = person.Email, password = AuthHubFixture.Password, organization_id = organizationId }),
                HttpStatusCode.OK);
            people[role] = person with { AccessToken = (string)login["access_token"]!, RefreshToken = (string)login["refresh_token"]! };
        }

        return new Team(organizationId, people, people.ToDictionary(p => p.Key, p => Hub.Client(p.Value.AccessToken)));
    }

    private async Task<Person> SignUpAsync()
    {
        var email = AuthHubFixture.NewEmail();
        using var anonymous = Hub.Client();
        var tokens = await Json(await anonymous.PostAsJsonAsync("/v1/auth/signup", new { email, password = AuthHubFixture.Password, display_name = "Test Person" }),
            HttpStatusCode.Created);
        return new Person((string)tokens["user"]!["id"]!, email, (string)tokens["organization_id"]!, (string)tokens["access_token"]!, (string)tokens["refresh_token"]!);
    }

    private sealed record Person(string UserId, string Email, string OrganizationId, string AccessToken, string RefreshToken);

    private sealed record Team(string OrganizationId, Dictionary<OrganizationRole, Person> People, Dictionary<OrganizationRole, HttpClient> Clients)
    {
        public string Members => $"/v1/orgs/{OrganizationId}/members";

        public string Member(OrganizationRole role) => $"{Members}/{People[role].UserId}";

        public HttpClient Client(OrganizationRole role) => Clients[role];

        public Task<Membership?> MembershipAsync(HubFixture hub, OrganizationRole role) =>
            hub.Services.GetRequiredService<IMembershipStore>().FindAsync(People[role].UserId, OrganizationId);
    }
}
