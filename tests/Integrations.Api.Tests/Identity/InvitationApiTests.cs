using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Integrations.Api.Tests.Connections;
using Integrations.Core.Common;
using Integrations.Core.Events;
using Integrations.Core.Identity.Invitations;
using Integrations.Core.Identity.Organizations;
using Integrations.Core.Identity.Recovery;
using Integrations.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using static Integrations.Api.Tests.HubFixture;

namespace Integrations.Api.Tests.Identity;

/// <summary>
/// The Server with a platform project (its vault holding the event sealing key and the Resend key), Resend pointed at a loopback
/// fake, cheap Argon2id parameters, every log line recorded, and limits raised for the class's own calls. Built like
/// <see cref="RecoveryApiFixture"/>: the platform project is created on a first Server, then this one starts naming it.
/// </summary>
public sealed class InvitationApiFixture : IAsyncLifetime
{
    public const string ResendKey = "re_loopback_invitation_key_7";

    public byte[] SealingKey { get; } = RandomNumberGenerator.GetBytes(32);

    public HubFixture Hub { get; } = new();

    public FakeResendApi Resend { get; private set; } = null!;

    public RecordingLoggerProvider Logs { get; } = new();

    public Tenant Platform { get; private set; } = null!;

    /// <summary>The storage prefix the Server runs on (the setup Server's, not <see cref="HubFixture.Prefix"/>).</summary>
    public string Prefix { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Resend = await FakeResendApi.StartAsync();
        var rootKey = HubTestSettings.NewRootKey();
        var setup = new HubFixture();
        setup.Settings["KeyWrapping:RootKey"] = rootKey;
        await setup.InitializeAsync();
        try
        {
            Platform = await setup.CreateTenantAsync("Platform");
            using var owner = setup.Client(Platform.OwnerKey);
            await Json(await owner.PostAsJsonAsync(Platform.Secrets, new { name = "auth-sealing-key", value = Convert.ToBase64String(SealingKey) }), HttpStatusCode.Created);
            await Json(await owner.PostAsJsonAsync(Platform.Secrets, new { name = "resend-api-key", value = ResendKey }), HttpStatusCode.Created);
        }
        finally
        {
            await setup.DisposeAsync();
        }

        var settings = Hub.Settings;
        Prefix = setup.Prefix;
        settings["Storage:Prefix"] = setup.Prefix;
        settings["KeyWrapping:RootKey"] = rootKey;
        settings["OutboundHttp:AllowedNetworks:0"] = "127.0.0.0/8";
        settings["Auth:PasswordHashing:MemoryKiB"] = "7168";
        settings["Auth:PasswordHashing:Iterations"] = "5";
        settings["RateLimits:Policies:auth"] = "1000";
        settings["RateLimits:Policies:invitations"] = "1000";
        settings["RateLimits:PerCredentialPerMinute"] = "100000";
        settings["Auth:Platform:OrganizationId"] = Platform.OrganizationId;
        settings["Auth:Platform:ProjectId"] = Platform.ProjectId;
        settings["Auth:Events:SealingKey"] = "auth-sealing-key";
        settings["Auth:SiteUrl"] = "https://app.example.com";
        settings["Auth:Resend:ApiKey"] = "resend-api-key";
        settings["Auth:Resend:BaseUrl"] = Resend.BaseUrl.AbsoluteUri;
        settings["Auth:Email:From"] = "Acme <no-reply@acme.example>";
        settings["Logging:LogLevel:Default"] = "Trace";
        Hub.ConfigureServices = services => services.AddSingleton<ILoggerProvider>(Logs);
        await Hub.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await Hub.DisposeAsync();
        await Resend.DisposeAsync();
    }
}

/// <summary>
/// Invitations and direct adds over real HTTP: invite → accept (role applied, listed, login into the organization), the
/// refusals (another address, an unverified one, reused, revoked, replaced), the owner rule and the role matrix, another
/// organization's key, the sealed event and the mail, and no token in logs, audit records or problem bodies.
/// </summary>
public sealed class InvitationApiTests(InvitationApiFixture fixture) : IClassFixture<InvitationApiFixture>
{
    private HubFixture Hub => fixture.Hub;

    [Fact]
    public async Task InviteThenAccept_TheInvitedVerifiedPerson_JoinsWithTheRole_IsListed_AndLogsIntoTheOrganization()
    {
        var team = await TeamAsync();
        var email = NewEmail();

        var created = await Json(await team.Owner.PostAsJsonAsync(team.Invitations, new { email, role = "admin" }), HttpStatusCode.Created);
        var invitee = await SignUpAsync(email, verified: true);
        using var person = Hub.Client(invitee.AccessToken);
        var accepted = await Json(await person.PostAsJsonAsync("/v1/invitations/accept", new { token = (string)created["token"]! }), HttpStatusCode.OK);
        var members = await Json(await team.Owner.GetAsync(team.Members), HttpStatusCode.OK);
        var login = await Json(await Hub.Client().PostAsJsonAsync("/v1/auth/login", new { email, password = AuthHubFixture.Password, organization_id = team.OrganizationId }),
            HttpStatusCode.OK);
        var pending = await Json(await team.Owner.GetAsync(team.Invitations), HttpStatusCode.OK);

        Assert.Equal((email, "admin", team.OrganizationId), ((string?)created["email"], (string?)created["role"], (string?)created["organization_id"]));
        Assert.StartsWith(InvitationToken.Prefix, (string?)created["token"], StringComparison.Ordinal);
        Assert.Equal("https://app.example.com/auth/accept-invitation?token=" + (string?)created["token"], (string?)created["url"]);
        Assert.NotNull((string?)created["expires_at"]);
        Assert.Equal((team.OrganizationId, "admin"), ((string?)accepted["organization_id"], (string?)accepted["role"]));
        Assert.Contains(members["data"]!.AsArray(), m => (string?)m!["user_id"] == invitee.UserId && (string?)m["role"] == "admin");
        Assert.Equal((team.OrganizationId, "admin"), ((string?)login["organization_id"], (string?)login["role"]));
        Assert.Empty(pending["data"]!.AsArray());
    }

    [Fact]
    public async Task Accept_AnotherAddress_AnUnverifiedOne_AReusedToken_AndAnApiKey_AreRefused()
    {
        var team = await TeamAsync();
        var email = NewEmail();
        var token = (string)(await Json(await team.Owner.PostAsJsonAsync(team.Invitations, new { email, role = "member" }), HttpStatusCode.Created))["token"]!;
        var stranger = await SignUpAsync(NewEmail(), verified: true);
        var invitee = await SignUpAsync(email, verified: false);

        var wrongAddress = await Hub.Client(stranger.AccessToken).PostAsJsonAsync("/v1/invitations/accept", new { token });
        var unverified = await Hub.Client(invitee.AccessToken).PostAsJsonAsync("/v1/invitations/accept", new { token });
        var byKey = await Hub.Client(team.Tenant.OwnerKey).PostAsJsonAsync("/v1/invitations/accept", new { token });
        await VerifyAsync(invitee.UserId);
        var first = await Hub.Client(invitee.AccessToken).PostAsJsonAsync("/v1/invitations/accept", new { token });
        var reused = await Hub.Client(invitee.AccessToken).PostAsJsonAsync("/v1/invitations/accept", new { token });
        var madeUp = await Hub.Client(invitee.AccessToken).PostAsJsonAsync("/v1/invitations/accept", new { token = token[..^1] + (token[^1] == 'a' ? 'b' : 'a') });

        await Problem(wrongAddress, HttpStatusCode.Forbidden, InvitationErrors.InvitationEmailMismatch);
        await Problem(unverified, HttpStatusCode.Forbidden, InvitationErrors.EmailNotVerified);
        await Problem(byKey, HttpStatusCode.Forbidden, "user-token-required");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        await Problem(reused, HttpStatusCode.BadRequest, InvitationErrors.InvalidInvitation);
        await Problem(madeUp, HttpStatusCode.BadRequest, InvitationErrors.InvalidInvitation);
        Assert.Null(await Hub.Services.GetRequiredService<IMembershipStore>().FindAsync(stranger.UserId, team.OrganizationId));
    }

    [Fact]
    public async Task Revoke_AndReplace_StopTheEarlierTokens_AndTheListShowsOnlyThePendingOneWithoutAToken()
    {
        var team = await TeamAsync();
        var email = NewEmail();
        var revokedOne = await Json(await team.Owner.PostAsJsonAsync(team.Invitations, new { email = NewEmail(), role = "viewer" }), HttpStatusCode.Created);
        var first = await Json(await team.Owner.PostAsJsonAsync(team.Invitations, new { email, role = "viewer" }), HttpStatusCode.Created);
        var second = await Json(await team.Admin.PostAsJsonAsync(team.Invitations, new { email = email.ToUpperInvariant().Replace("@EXAMPLE.COM", "@example.com", StringComparison.Ordinal), role = "member" }),
            HttpStatusCode.Created);
        var revoked = await team.Owner.DeleteAsync($"{team.Invitations}/{(string)revokedOne["id"]!}");
        var listedResponse = await team.Owner.GetAsync(team.Invitations);
        var listedText = await listedResponse.Content.ReadAsStringAsync();
        var invitee = await SignUpAsync(email, verified: true);
        using var person = Hub.Client(invitee.AccessToken);

        var withFirst = await person.PostAsJsonAsync("/v1/invitations/accept", new { token = (string)first["token"]! });
        var withSecond = await Json(await person.PostAsJsonAsync("/v1/invitations/accept", new { token = (string)second["token"]! }), HttpStatusCode.OK);

        Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        var listed = Assert.Single(JsonNode.Parse(listedText)!["data"]!.AsArray());
        Assert.Equal(((string?)second["id"], "member", team.People[OrganizationRole.Admin].UserId), ((string?)listed!["id"], (string?)listed["role"], (string?)listed["invited_by"]));
        Assert.DoesNotContain(InvitationToken.Prefix, listedText, StringComparison.Ordinal);
        await Problem(withFirst, HttpStatusCode.BadRequest, InvitationErrors.InvalidInvitation);
        Assert.Equal("member", (string?)withSecond["role"]);
        await Problem(await team.Owner.DeleteAsync($"{team.Invitations}/{(string)revokedOne["id"]!}"), HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task Invite_AnAdminInvitingAnOwner_IsOwnerOnly_AMemberOrViewer_LacksTheScope_AndAnOwnerMay()
    {
        var team = await TeamAsync();

        var byAdmin = await team.Admin.PostAsJsonAsync(team.Invitations, new { email = NewEmail(), role = "owner" });
        var byMember = await team.Client(OrganizationRole.Member).PostAsJsonAsync(team.Invitations, new { email = NewEmail(), role = "viewer" });
        var byViewer = await team.Client(OrganizationRole.Viewer).PostAsJsonAsync(team.Invitations, new { email = NewEmail(), role = "viewer" });
        var viewerList = await team.Client(OrganizationRole.Viewer).GetAsync(team.Invitations);
        var byOwner = await team.Owner.PostAsJsonAsync(team.Invitations, new { email = NewEmail(), role = "owner" });
        var badRole = await team.Owner.PostAsJsonAsync(team.Invitations, new { email = NewEmail(), role = "Owner" });
        var badEmail = await team.Owner.PostAsJsonAsync(team.Invitations, new { email = "not-an-address", role = "member" });
        var existingMember = await team.Owner.PostAsJsonAsync(team.Invitations, new { email = team.People[OrganizationRole.Viewer].Email, role = "admin" });

        await Problem(byAdmin, HttpStatusCode.Forbidden, MemberErrors.OwnerOnly);
        await Problem(byMember, HttpStatusCode.Forbidden, "missing-scope");
        await Problem(byViewer, HttpStatusCode.Forbidden, "missing-scope");
        await Problem(viewerList, HttpStatusCode.Forbidden, "missing-scope");
        var ownerInvitation = await Json(byOwner, HttpStatusCode.Created);
        Assert.Equal("owner", (string?)ownerInvitation["role"]);
        await Problem(await team.Admin.DeleteAsync($"{team.Invitations}/{(string)ownerInvitation["id"]!}"), HttpStatusCode.Forbidden, MemberErrors.OwnerOnly);
        Assert.Equal(HttpStatusCode.NoContent, (await team.Owner.DeleteAsync($"{team.Invitations}/{(string)ownerInvitation["id"]!}")).StatusCode);
        await Problem(badRole, HttpStatusCode.BadRequest, MemberErrors.InvalidRole);
        await Problem(badEmail, HttpStatusCode.BadRequest, "invalid-email");
        await Problem(existingMember, HttpStatusCode.Conflict, InvitationErrors.AlreadyMember);
    }

    [Fact]
    public async Task Invite_WithAnotherOrganizationsKey_IsNotFound_EvenWithTheAdminScope()
    {
        var team = await TeamAsync();
        var other = await Hub.CreateTenantAsync("Other");
        using var otherKey = Hub.Client(other.OwnerKey);

        var invite = await otherKey.PostAsJsonAsync(team.Invitations, new { email = NewEmail(), role = "owner" });
        var list = await otherKey.GetAsync(team.Invitations);
        var add = await otherKey.PostAsJsonAsync(team.Members, new { user_id = team.People[OrganizationRole.Viewer].UserId, role = "owner" });
        var ownKey = await Json(await Hub.Client(team.Tenant.OwnerKey).PostAsJsonAsync(team.Invitations, new { email = NewEmail(), role = "owner" }), HttpStatusCode.Created);

        await Problem(invite, HttpStatusCode.NotFound, "not-found");
        await Problem(list, HttpStatusCode.NotFound, "not-found");
        await Problem(add, HttpStatusCode.NotFound, "not-found");
        Assert.StartsWith("key_", (string?)ownKey["invited_by"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invite_PublishesASealedEvent_AndMails_AndNoTokenIsInLogsAuditOrProblems()
    {
        var team = await TeamAsync();
        var email = NewEmail();

        var created = await Json(await team.Owner.PostAsJsonAsync(team.Invitations, new { email, role = "member" }), HttpStatusCode.Created);
        var token = (string)created["token"]!;
        var id = (string)created["id"]!;
        var invitee = await SignUpAsync(email, verified: false);
        var problems = new List<string>
        {
            await (await Hub.Client(invitee.AccessToken).PostAsJsonAsync("/v1/invitations/accept", new { token })).Content.ReadAsStringAsync(),
        };
        await VerifyAsync(invitee.UserId);
        Assert.Equal(HttpStatusCode.OK, (await Hub.Client(invitee.AccessToken).PostAsJsonAsync("/v1/invitations/accept", new { token })).StatusCode);
        problems.Add(await (await Hub.Client(invitee.AccessToken).PostAsJsonAsync("/v1/invitations/accept", new { token })).Content.ReadAsStringAsync());

        var data = await EventDataAsync(id);
        Assert.NotNull(data);
        Assert.Equal((id, team.OrganizationId, email, "member"), ((string?)data["invitation_id"], (string?)data["organization_id"], (string?)data["email"], (string?)data["role"]));
        Assert.DoesNotContain(token[InvitationToken.Prefix.Length..], data.ToJsonString(), StringComparison.Ordinal);
        var opened = SealedLink.Open((string)data["sealed_link"]!, fixture.SealingKey, HubEventTypes.AuthInvitationCreated, id);
        Assert.Equal(token, opened?.Token);
        Assert.Equal((string?)created["url"], opened?.Url);
        Assert.Null(SealedLink.Open((string)data["sealed_link"]!, fixture.SealingKey, HubEventTypes.AuthPasswordResetRequested, id));
        Assert.Null(SealedLink.Open((string)data["sealed_link"]!, fixture.SealingKey, HubEventTypes.AuthInvitationCreated, "inv_" + new string('a', 20)));

        var mail = Assert.Single(fixture.Resend.Requests, r => r.Body.Contains("accept-invitation", StringComparison.Ordinal) && r.Body.Contains(email, StringComparison.Ordinal));
        Assert.Equal("Bearer " + InvitationApiFixture.ResendKey, mail.Authorization);
        var mailBody = JsonNode.Parse(mail.Body)!;
        Assert.Equal(email, (string?)mailBody["to"]![0]);
        Assert.Contains("You are invited to", (string?)mailBody["subject"], StringComparison.Ordinal);
        Assert.Contains("https://app.example.com/auth/accept-invitation?token=" + token, (string?)mailBody["text"], StringComparison.Ordinal);

        var probe = token[InvitationToken.Prefix.Length..];
        Assert.DoesNotContain(fixture.Logs.Lines, line => line.Contains(probe, StringComparison.Ordinal));
        Assert.All(problems, body => Assert.DoesNotContain(probe, body, StringComparison.Ordinal));
        Assert.DoesNotContain(probe, await AllAuditTextAsync(), StringComparison.Ordinal);
        Assert.Contains("invitation.accept", await AllAuditTextAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(probe, await AllRowsTextAsync("invitations"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddMember_AnExistingUser_Joins_UnknownIs404_TwiceIs409_AndAnAdminAddingAnOwnerIsOwnerOnly()
    {
        var team = await TeamAsync();
        var person = await SignUpAsync(NewEmail(), verified: false);

        var added = await Json(await team.Admin.PostAsJsonAsync(team.Members, new { user_id = person.UserId, role = "viewer" }), HttpStatusCode.Created);
        var twice = await team.Owner.PostAsJsonAsync(team.Members, new { user_id = person.UserId, role = "member" });
        var unknown = await team.Owner.PostAsJsonAsync(team.Members, new { user_id = "usr_" + new string('q', 20), role = "member" });
        var other = await SignUpAsync(NewEmail(), verified: false);
        var ownerByAdmin = await team.Admin.PostAsJsonAsync(team.Members, new { user_id = other.UserId, role = "owner" });
        var byMember = await team.Client(OrganizationRole.Member).PostAsJsonAsync(team.Members, new { user_id = other.UserId, role = "viewer" });
        var byKey = await Json(await Hub.Client(team.Tenant.OwnerKey).PostAsJsonAsync(team.Members, new { user_id = other.UserId, role = "owner" }), HttpStatusCode.Created);

        Assert.Equal((person.UserId, "viewer", false), ((string?)added["user_id"], (string?)added["role"], (bool)added["personal"]!));
        await Problem(twice, HttpStatusCode.Conflict, InvitationErrors.AlreadyMember);
        await Problem(unknown, HttpStatusCode.NotFound, "not-found");
        await Problem(ownerByAdmin, HttpStatusCode.Forbidden, MemberErrors.OwnerOnly);
        await Problem(byMember, HttpStatusCode.Forbidden, "missing-scope");
        Assert.Equal("owner", (string?)byKey["role"]);
        Assert.Equal(OrganizationRole.Viewer, (await Hub.Services.GetRequiredService<IMembershipStore>().FindAsync(person.UserId, team.OrganizationId))!.Role);
    }

    [Fact]
    public async Task AddMember_AndAcceptingAnInvitation_EachWriteAMemberAddedEventToTheOrganizationsProjects()
    {
        var team = await TeamAsync();
        var added = await SignUpAsync(NewEmail(), verified: false);
        var invitedEmail = NewEmail();
        var invitee = await SignUpAsync(invitedEmail, verified: true);

        await Json(await team.Owner.PostAsJsonAsync(team.Members, new { user_id = added.UserId, role = "viewer" }), HttpStatusCode.Created);
        var invitation = await Json(await team.Owner.PostAsJsonAsync(team.Invitations, new { email = invitedEmail, role = "member" }), HttpStatusCode.Created);
        using var person = Hub.Client(invitee.AccessToken);
        await Json(await person.PostAsJsonAsync("/v1/invitations/accept", new { token = (string)invitation["token"]! }), HttpStatusCode.OK);
        var refused = await team.Owner.PostAsJsonAsync(team.Members, new { user_id = added.UserId, role = "member" }); // already a member

        await Problem(refused, HttpStatusCode.Conflict, InvitationErrors.AlreadyMember);
        var events = (await Hub.Services.GetRequiredService<IEventOutbox>().ListAsync(team.OrganizationId, team.Tenant.ProjectId,
            new ActivityQuery(new PageRequest(1, 50), HubEventTypes.MemberAdded))).Items;
        var direct = Assert.Single(events, e => e.Data["user_id"] == added.UserId);
        Assert.Equal("viewer", direct.Data["role"]);
        Assert.False(direct.Data.ContainsKey("invitation_id"));
        var accepted = Assert.Single(events, e => e.Data["user_id"] == invitee.UserId);
        Assert.Equal(("member", (string?)invitation["id"]), (accepted.Data["role"], accepted.Data["invitation_id"]));
        Assert.Equal(2, events.Count); // the team's own members were written to the store directly, and the refused add wrote nothing
    }

    private async Task<JsonNode?> EventDataAsync(string invitationId)
    {
        using var owner = Hub.Client(fixture.Platform.OwnerKey);
        var list = await Json(await owner.GetAsync($"/v1/projects/{fixture.Platform.ProjectId}/messages?event_type={HubEventTypes.AuthInvitationCreated}&per_page=100"),
            HttpStatusCode.OK);
        foreach (var item in list["data"]!.AsArray())
        {
            var message = await Json(await owner.GetAsync($"/v1/projects/{fixture.Platform.ProjectId}/messages/{(string)item!["id"]!}"), HttpStatusCode.OK);
            if ((string?)message["payload"]!["data"]!["invitation_id"] == invitationId)
            {
                return message["payload"]!["data"];
            }
        }

        return null;
    }

    // Every record of every partition, decoded from the stored segments (zlib'd JSON).
    private async Task<string> AllAuditTextAsync()
    {
        var audit = new TableClient(Hub.ConnectionString, fixture.Prefix + "audit");
        var partitions = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var row in audit.QueryAsync<TableEntity>(select: ["PartitionKey"]))
        {
            partitions.Add(row.PartitionKey);
        }

        var text = new StringBuilder();
        foreach (var partition in partitions)
        {
            foreach (var (_, record) in await AuditRows.ReadAsync(audit, partition))
            {
                text.Append(record.ToJsonString()).Append('\n');
            }
        }

        return text.ToString();
    }

    private async Task<string> AllRowsTextAsync(string table)
    {
        var text = new StringBuilder();
        await foreach (var row in new TableClient(Hub.ConnectionString, fixture.Prefix + table).QueryAsync<TableEntity>())
        {
            foreach (var (key, value) in row)
            {
                text.Append(key).Append('=').Append(value).Append('\n');
            }
        }

        return text.ToString();
    }

    private async Task VerifyAsync(string userId)
    {
        using var admin = Hub.Client(Hub.AdminKey);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/v1/admin/users/{userId}/verify", null)).StatusCode);
    }

    private async Task<Person> SignUpAsync(string email, bool verified)
    {
        using var anonymous = Hub.Client();
        var tokens = await Json(await anonymous.PostAsJsonAsync("/v1/auth/signup", new { email, password = AuthHubFixture.Password, display_name = "Test Person" }),
            HttpStatusCode.Created);
        var person = new Person((string)tokens["user"]!["id"]!, email, (string)tokens["access_token"]!);
        if (verified)
        {
            await VerifyAsync(person.UserId);
        }

        return person;
    }

    // An organization with a project and an API key (a tenant), and a person of each role in it, logged into it.
    private async Task<Team> TeamAsync()
    {
        var tenant = await Hub.CreateTenantAsync("Team");
        var store = Hub.Services.GetRequiredService<IMembershipStore>();
        var people = new Dictionary<OrganizationRole, Person>();
        foreach (var role in Enum.GetValues<OrganizationRole>())
        {
            var person = await SignUpAsync(NewEmail(), verified: false);
            await store.AddAsync(new Membership(tenant.OrganizationId, person.UserId, role, Personal: false, TimeProvider.System.GetUtcNow()));
            using var anonymous = Hub.Client();
            var login = await Json(await anonymous.PostAsJsonAsync("/v1/auth/login", new { email = person.Email, password = AuthHubFixture.Password, organization_id = tenant.OrganizationId }),
                HttpStatusCode.OK);
            people[role] = person with { AccessToken = (string)login["access_token"]! };
        }

        return new Team(tenant, people, people.ToDictionary(p => p.Key, p => Hub.Client(p.Value.AccessToken)));
    }

    private static string NewEmail() => $"invitee-{TestRandom.Hex(8)}@example.com";

    private sealed record Person(string UserId, string Email, string AccessToken);

    private sealed record Team(Tenant Tenant, Dictionary<OrganizationRole, Person> People, Dictionary<OrganizationRole, HttpClient> Clients)
    {
        public string OrganizationId => Tenant.OrganizationId;

        public string Invitations => $"/v1/orgs/{OrganizationId}/invitations";

        public string Members => $"/v1/orgs/{OrganizationId}/members";

        public HttpClient Owner => Clients[OrganizationRole.Owner];

        public HttpClient Admin => Clients[OrganizationRole.Admin];

        public HttpClient Client(OrganizationRole role) => Clients[role];
    }
}
