using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Integrations.Core.Audit;
using Integrations.Core.Events;
using Integrations.Core.Identity;
using Integrations.Core.Identity.Social;
using Integrations.Testing;
using Microsoft.Extensions.DependencyInjection;
using static Integrations.Api.Tests.HubFixture;
using static Integrations.Api.Tests.Identity.SocialLoginApiFixture;

namespace Integrations.Api.Tests.Identity;

/// <summary>Social login and social connections through the real Server pipeline against Azurite.</summary>
public sealed class SocialLoginApiTests(SocialLoginApiFixture fixture) : IClassFixture<SocialLoginApiFixture>
{
    private HubFixture Hub => fixture.Hub;

    [Fact]
    public async Task SocialLogin_ThreeBranches_NewUserThenLinkThenExistingAccount_AnswerTheLoginsTokenResponse()
    {
        using var platform = Hub.Client(fixture.SocialKey);
        var email = AuthHubFixture.NewEmail();
        var sub = NewProviderUserId();

        var created = await Json(await platform.PostAsJsonAsync("/v1/auth/social-login", Profile(email, sub)), HttpStatusCode.OK);
        var linked = await Json(await platform.PostAsJsonAsync("/v1/auth/social-login", Profile("another." + email, sub)), HttpStatusCode.OK);
        var withPassword = AuthHubFixture.NewEmail();
        var signedUp = await SignUpAsync(withPassword);
        await VerifyAsync((string)signedUp["user"]!["id"]!);
        var existing = await Json(await platform.PostAsJsonAsync("/v1/auth/social-login", Profile(withPassword, NewProviderUserId(), provider: "github")), HttpStatusCode.OK);

        Assert.Equal("Bearer", (string?)created["token_type"]);
        Assert.Equal(7200, (long)created["expires_in"]!);
        Assert.StartsWith("ihr_", (string?)created["refresh_token"], StringComparison.Ordinal);
        Assert.Equal(email, (string?)created["user"]!["email"]);
        Assert.True((bool)created["user"]!["email_verified"]!);
        Assert.Equal("owner", (string?)created["role"]);
        Assert.Equal((string?)created["user"]!["id"], (string?)linked["user"]!["id"]);
        Assert.Equal((string?)signedUp["user"]!["id"], (string?)existing["user"]!["id"]);
        using var person = Hub.Client((string)created["access_token"]!);
        var me = await Json(await person.GetAsync("/v1/me"), HttpStatusCode.OK);
        Assert.True((bool)me["organizations"]!.AsArray().Single()!["personal"]!);
    }

    [Fact]
    public async Task SocialLogin_UnverifiedAddressOfAnExistingAccount_Is409WithAClearProblem()
    {
        var email = AuthHubFixture.NewEmail();
        await SignUpAsync(email);
        using var platform = Hub.Client(fixture.SocialKey);

        var refused = await Problem(await platform.PostAsJsonAsync("/v1/auth/social-login", Profile(email, NewProviderUserId(), emailVerified: false)),
            HttpStatusCode.Conflict, SocialErrors.EmailUnverified);

        Assert.Contains("not verified", (string?)refused["detail"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task SocialLogin_RefreshTokenOfTheSession_Works()
    {
        using var platform = Hub.Client(fixture.SocialKey);
        var login = await Json(await platform.PostAsJsonAsync("/v1/auth/social-login", Profile(AuthHubFixture.NewEmail(), NewProviderUserId())), HttpStatusCode.OK);
        using var anonymous = Hub.Client();

        var refreshed = await Json(await anonymous.PostAsJsonAsync("/v1/auth/refresh", new { refresh_token = (string)login["refresh_token"]! }), HttpStatusCode.OK);

        Assert.Equal((string?)login["user"]!["id"], (string?)refreshed["user"]!["id"]);
        Assert.NotEqual((string?)login["refresh_token"], (string?)refreshed["refresh_token"]);
    }

    [Fact]
    public async Task SocialLogin_KeyWithoutTheScope_Is403MissingScope()
    {
        var created = await Hub.Services.GetRequiredService<ApiKeyService>()
            .CreateAsync(fixture.Platform.OrganizationId, "no social", [Scopes.MembersRead], null, "test-operator");
        using var platformOwner = Hub.Client(fixture.Platform.OwnerKey);
        using var narrow = Hub.Client(created.Value!.Token);

        await Problem(await platformOwner.PostAsJsonAsync("/v1/auth/social-login", Profile(AuthHubFixture.NewEmail(), NewProviderUserId())),
            HttpStatusCode.Forbidden, "missing-scope");
        await Problem(await narrow.PostAsJsonAsync("/v1/auth/social-login", Profile(AuthHubFixture.NewEmail(), NewProviderUserId())),
            HttpStatusCode.Forbidden, "missing-scope");
    }

    [Fact]
    public async Task SocialLogin_OtherTenantsKey_CannotBeGivenTheScope_NorUseOneItHolds_ToReachItsOwnOrAnotherTenantsPerson()
    {
        // Tenant B's person, with a verified address: the attacker (tenant A's key) asserts a profile with that address.
        var victimEmail = AuthHubFixture.NewEmail();
        var victim = await SignUpAsync(victimEmail);
        await VerifyAsync((string)victim["user"]!["id"]!);
        var keys = Hub.Services.GetRequiredService<ApiKeyService>();

        // 1: the operator path refuses the scope for any organization but the platform's.
        var refusedGrant = await keys.CreateAsync(fixture.Other.OrganizationId, "social", [Scopes.AuthSocialLogin], null, "test-operator");
        // 2: a key of the tenant that holds the scope anyway (written straight to the key store, MAC'd) is still refused.
        var (token, _) = ApiKeyToken.Generate();
        var hash = await Hub.Services.GetRequiredService<Core.Integrity.AuthorityRows>().LookupHashAsync(ApiKeyToken.Digest(token));
        await Hub.Services.GetRequiredService<IApiKeyStore>().AddAsync(new ApiKey("key_" + TestRandom.Hex(10), fixture.Other.OrganizationId, "planted",
            [Scopes.AuthSocialLogin], hash, ApiKeyToken.Hint(token), "test", TimeProvider.System.GetUtcNow(), null));
        using var tenantKey = Hub.Client(token);
        using var tenantOwner = Hub.Client(fixture.Other.OwnerKey);
        var asKey = await tenantKey.PostAsJsonAsync("/v1/auth/social-login", Profile(victimEmail, NewProviderUserId()));
        var asOwner = await tenantOwner.PostAsJsonAsync("/v1/auth/social-login", Profile(victimEmail, NewProviderUserId()));

        Assert.Equal(IdentityErrors.ScopePlatformOnly, refusedGrant.Error?.Code);
        var problem = await Problem(asKey, HttpStatusCode.Forbidden, SocialErrors.PlatformKeyOnly);
        Assert.DoesNotContain("access_token", problem.ToJsonString(), StringComparison.Ordinal);
        await Problem(asOwner, HttpStatusCode.Forbidden, "missing-scope");
    }

    [Fact]
    public async Task SocialLogin_WithAUsersAccessToken_OrTheAdminKey_IsRefused()
    {
        var person = await SignUpAsync(AuthHubFixture.NewEmail());
        using var asPerson = Hub.Client((string)person["access_token"]!);
        using var asAdmin = Hub.Client(Hub.AdminKey);

        await Problem(await asPerson.PostAsJsonAsync("/v1/auth/social-login", Profile(AuthHubFixture.NewEmail(), NewProviderUserId())),
            HttpStatusCode.Forbidden, "missing-scope");
        var admin = await asAdmin.PostAsJsonAsync("/v1/auth/social-login", Profile(AuthHubFixture.NewEmail(), NewProviderUserId()));
        Assert.Equal(HttpStatusCode.Forbidden, admin.StatusCode);
    }

    [Fact]
    public async Task SocialConnections_ListShowsProviderEmailAndTime_NeverTheProviderId_DeleteOfTheLastIs409_OfAnUnlinkedProvider404()
    {
        using var platform = Hub.Client(fixture.SocialKey);
        var email = AuthHubFixture.NewEmail();
        var sub = NewProviderUserId();
        var login = await Json(await platform.PostAsJsonAsync("/v1/auth/social-login", Profile(email, sub)), HttpStatusCode.OK);
        using var person = Hub.Client((string)login["access_token"]!);

        var list = await person.GetAsync("/v1/me/social-connections");
        var listText = await list.Content.ReadAsStringAsync();
        var last = await person.DeleteAsync("/v1/me/social-connections/google");
        var notLinked = await person.DeleteAsync("/v1/me/social-connections/github");
        await Json(await platform.PostAsJsonAsync("/v1/auth/social-login", Profile(email, NewProviderUserId(), provider: "github")), HttpStatusCode.OK);
        var removed = await person.DeleteAsync("/v1/me/social-connections/google");
        var after = await Json(await person.GetAsync("/v1/me/social-connections"), HttpStatusCode.OK);

        var connection = JsonNode.Parse(listText)!["data"]!.AsArray().Single()!;
        Assert.Equal("google", (string?)connection["provider"]);
        Assert.Equal(email, (string?)connection["email"]);
        Assert.NotNull((string?)connection["linked_at"]);
        Assert.DoesNotContain(sub, listText, StringComparison.Ordinal);
        await Problem(last, HttpStatusCode.Conflict, SocialErrors.LastLoginMethod);
        Assert.Equal(HttpStatusCode.NotFound, notLinked.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        Assert.Equal("github", (string?)after["data"]!.AsArray().Single()!["provider"]);
    }

    [Fact]
    public async Task SocialConnections_WithAnApiKey_AreRefused()
    {
        using var key = Hub.Client(fixture.SocialKey);

        Assert.Equal(HttpStatusCode.Forbidden, (await key.GetAsync("/v1/me/social-connections")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await key.DeleteAsync("/v1/me/social-connections/google")).StatusCode);
    }

    [Fact]
    public async Task AdminDelete_RemovesTheLinks_SoTheProviderAccountMakesANewPerson()
    {
        using var platform = Hub.Client(fixture.SocialKey);
        var email = AuthHubFixture.NewEmail();
        var sub = NewProviderUserId();
        var first = await Json(await platform.PostAsJsonAsync("/v1/auth/social-login", Profile(email, sub)), HttpStatusCode.OK);
        var userId = (string)first["user"]!["id"]!;
        var lookupHash = await Hub.Services.GetRequiredService<ISocialLinkStore>().LookupHashAsync("google", sub);
        using var admin = Hub.Client(Hub.AdminKey);
        var users = new TableClient(Hub.ConnectionString, fixture.Prefix + "users");
        Assert.True((await users.GetEntityIfExistsAsync<TableEntity>("s:" + lookupHash, "social")).HasValue);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/v1/admin/users/{userId}")).StatusCode);
        var claim = await users.GetEntityIfExistsAsync<TableEntity>("s:" + lookupHash, "social");
        var again = await Json(await platform.PostAsJsonAsync("/v1/auth/social-login", Profile(email, sub)), HttpStatusCode.OK);

        Assert.False(claim.HasValue);
        Assert.NotEqual(userId, (string?)again["user"]!["id"]);
    }

    [Fact]
    public async Task SocialLogin_PublishesAuthSocialLogin_AndPutsNoTokenOrProviderIdInLogsProblemsOrAudit()
    {
        using var platform = Hub.Client(fixture.SocialKey);
        var email = AuthHubFixture.NewEmail();
        var sub = NewProviderUserId();
        var login = await Json(await platform.PostAsJsonAsync("/v1/auth/social-login", Profile(email, sub)), HttpStatusCode.OK);
        var userId = (string)login["user"]!["id"]!;
        var problems = new List<string>
        {
            await (await platform.PostAsJsonAsync("/v1/auth/social-login", Profile(email, sub + "x", provider: "Bad Provider"))).Content.ReadAsStringAsync(),
            await (await platform.PostAsJsonAsync("/v1/auth/social-login", Profile(email, sub + "\u0001"))).Content.ReadAsStringAsync(),
        };

        var data = await EventDataAsync(HubEventTypes.AuthSocialLogin, userId);

        Assert.NotNull(data);
        Assert.Equal(email, (string?)data["email"]);
        Assert.Equal("google", (string?)data["provider"]);
        Assert.Equal("true", (string?)data["new_user"]);
        var audit = new TableClient(Hub.ConnectionString, fixture.Prefix + "audit");
        var auditText = string.Join('\n', (await AuditRows.ReadAsync(audit, AuditPartition.For(fixture.Platform.OrganizationId, null))).Select(r => r.Record.ToJsonString()));
        Assert.Contains(AuditActions.UserSocialLogin, auditText, StringComparison.Ordinal);
        Assert.Contains("user/" + userId, auditText, StringComparison.Ordinal);
        foreach (var secret in new[] { sub, ((string)login["access_token"]!).Split('.')[2], (string)login["refresh_token"]!, fixture.SocialKey })
        {
            Assert.DoesNotContain(fixture.Logs.Lines, line => line.Contains(secret, StringComparison.Ordinal));
            Assert.All(problems, body => Assert.DoesNotContain(secret, body, StringComparison.Ordinal));
            Assert.DoesNotContain(secret, auditText, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, data.ToJsonString(), StringComparison.Ordinal);
        }
    }

    private async Task<JsonNode> SignUpAsync(string email)
    {
        using var anonymous = Hub.Client();
        return await Json(await anonymous.PostAsJsonAsync("/v1/auth/signup", new { email, password = AuthHubFixture.Password, display_name = "Test Person" }),
            HttpStatusCode.Created);
    }

    private async Task VerifyAsync(string userId)
    {
        using var admin = Hub.Client(Hub.AdminKey);
        var verified = await admin.PostAsync($"/v1/admin/users/{userId}/verify", null);
        Assert.True(verified.IsSuccessStatusCode, await verified.Content.ReadAsStringAsync());
    }

    /// <summary>The data of the platform project's message of <paramref name="type"/> about <paramref name="userId"/>, or null.</summary>
    private async Task<JsonNode?> EventDataAsync(string type, string userId)
    {
        using var owner = Hub.Client(fixture.Platform.OwnerKey);
        var list = await Json(await owner.GetAsync($"/v1/projects/{fixture.Platform.ProjectId}/messages?event_type={type}&per_page=100"), HttpStatusCode.OK);
        foreach (var item in list["data"]!.AsArray())
        {
            var message = await Json(await owner.GetAsync($"/v1/projects/{fixture.Platform.ProjectId}/messages/{(string)item!["id"]!}"), HttpStatusCode.OK);
            if ((string?)message["payload"]!["data"]!["user_id"] == userId)
            {
                return message["payload"]!["data"];
            }
        }

        return null;
    }
}
