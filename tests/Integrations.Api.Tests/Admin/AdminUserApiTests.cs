using System.Net;
using System.Net.Http.Json;
using Integrations.Api.Tests.Identity;
using Integrations.Core.Audit;
using Integrations.Core.Common;
using Integrations.Core.Identity.Organizations;
using Integrations.Core.Identity.Recovery;
using Integrations.Core.Identity.Users;
using Integrations.Testing;
using Microsoft.Extensions.DependencyInjection;
using static Integrations.Api.Tests.HubFixture;

namespace Integrations.Api.Tests.Admin;

/// <summary>The admin's user routes: platform admin key only; list, unlock, verify, logout, reset link, delete.</summary>
public sealed class AdminUserApiTests(RecoveryApiFixture fixture) : IClassFixture<RecoveryApiFixture>
{
    private const string StrongPassword = "Kettle-Harbour-Quartz-91";

    private HubFixture Hub => fixture.Hub;

    public static TheoryData<string, string> Routes => new()
    {
        { "GET", "/v1/admin/users" },
        { "POST", "/v1/admin/users/usr_aaaaaaaaaaaaaaaaaaaa/unlock" },
        { "POST", "/v1/admin/users/usr_aaaaaaaaaaaaaaaaaaaa/verify" },
        { "POST", "/v1/admin/users/usr_aaaaaaaaaaaaaaaaaaaa/logout" },
        { "POST", "/v1/admin/users/usr_aaaaaaaaaaaaaaaaaaaa/password" },
        { "DELETE", "/v1/admin/users/usr_aaaaaaaaaaaaaaaaaaaa" },
    };

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task AdminUserRoutes_Anonymous401_OrganizationKey403(string method, string path)
    {
        using var anonymous = Hub.Client();
        using var owner = Hub.Client(fixture.Platform.OwnerKey);

        var refusedAnonymous = await anonymous.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        var refusedOwner = await owner.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Equal(HttpStatusCode.Unauthorized, refusedAnonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, refusedOwner.StatusCode);
    }

    [Fact]
    public async Task ListUsers_SearchByPrefix_ShowsNoHash()
    {
        var marker = "srch" + TestRandom.Hex(6);
        await SignUpAsync($"{marker}.one@example.com");
        await SignUpAsync($"{marker}.two@example.com");
        using var admin = Hub.Client(Hub.AdminKey);

        var page = await Json(await admin.GetAsync($"/v1/admin/users?search={marker.ToUpperInvariant()}&per_page=1"), HttpStatusCode.OK);

        Assert.Equal(2, (long)page["pagination"]!["total"]!);
        var user = Assert.Single(page["data"]!.AsArray())!;
        Assert.Equal($"{marker}.one@example.com", (string?)user["email"]);
        Assert.DoesNotContain("argon2id", page.ToJsonString(), StringComparison.Ordinal);
        await Problem(await admin.GetAsync("/v1/admin/users?per_page=1000"), HttpStatusCode.BadRequest, "invalid-page");
    }

    [Fact]
    public async Task Unlock_Verify_Logout_Password_ActOnTheUser()
    {
        var email = $"ops{TestRandom.Hex(6)}@example.com";
        var user = await SignUpAsync(email);
        using var admin = Hub.Client(Hub.AdminKey);
        var sessions = Hub.Services.GetRequiredService<UserSessionService>();
        for (var i = 0; i < 5; i++)
        {
            await sessions.LoginAsync(email, "Wrong-Password-" + i, "198.51.100.20");
        }

        Assert.Equal(UserErrors.LoginThrottled, (await sessions.LoginAsync(email, StrongPassword, "198.51.100.20")).Error?.Code);

        await Json(await admin.PostAsync($"/v1/admin/users/{user.Id}/unlock", null), HttpStatusCode.OK);
        var afterUnlock = await sessions.LoginAsync(email, StrongPassword, "198.51.100.20");
        var verified = await Json(await admin.PostAsync($"/v1/admin/users/{user.Id}/verify", null), HttpStatusCode.OK);
        var logout = await Json(await admin.PostAsync($"/v1/admin/users/{user.Id}/logout", null), HttpStatusCode.OK);
        var reset = await admin.PostAsync($"/v1/admin/users/{user.Id}/password", null);
        var refreshAfterLogout = await sessions.RefreshAsync(afterUnlock.Tokens?.RefreshToken);

        // Unlocked, the right password logs in (a session in the personal organization), and the admin's logout ends it.
        Assert.True(afterUnlock.IsSuccess, afterUnlock.Error?.Code);
        Assert.True((bool)verified["email_verified"]!);
        Assert.Equal(1, (int)logout["sessions_ended"]!);
        Assert.False(refreshAfterLogout.IsSuccess);
        Assert.Equal(HttpStatusCode.Accepted, reset.StatusCode);
        Assert.Empty(await reset.Content.ReadAsStringAsync());
        Assert.Single(fixture.Resend.Requests, r => r.Body.Contains(email, StringComparison.Ordinal) && r.Body.Contains("reset-password", StringComparison.Ordinal));
        await Problem(await admin.PostAsync("/v1/admin/users/usr_nosuchuseraaaaaaaaa/verify", null), HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task DeleteUser_RemovesTheAccount_AndTheAuditKeepsAnHmacOfTheAddressOnly()
    {
        var email = $"gone{TestRandom.Hex(6)}@example.com";
        var user = await SignUpAsync(email);
        await Hub.Services.GetRequiredService<RecoveryService>().IssueVerificationAsync(user.Id);
        using var admin = Hub.Client(Hub.AdminKey);

        var deleted = await admin.DeleteAsync($"/v1/admin/users/{user.Id}");
        var again = await admin.DeleteAsync($"/v1/admin/users/{user.Id}");

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await Problem(again, HttpStatusCode.NotFound, "not-found");
        Assert.Null(await Hub.Services.GetRequiredService<IUserStore>().GetAsync(user.Id));
        Assert.Null(await Hub.Services.GetRequiredService<IUserStore>().FindByEmailAsync(email));
        var hmac = await Hub.Services.GetRequiredService<AuditLog>().HmacAsync(email);
        var records = await RecoveryApiTests.PlatformAuditAsync(Hub);
        Assert.Contains(records, r => r.Action == AuditActions.AdminUserDelete && r.Status == 204 && r.Target == $"user/{user.Id} email-hmac:{hmac}");
        Assert.All(records, r => Assert.DoesNotContain(email, r.ToString(), StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task DeleteUser_RemovesTheirMemberships_ButNotWhileTheyAreTheOnlyOwnerOfAnOrganizationWithMembers()
    {
        var owner = await SignUpAsync($"own{TestRandom.Hex(6)}@example.com");
        var member = await SignUpAsync($"mem{TestRandom.Hex(6)}@example.com");
        var store = Hub.Services.GetRequiredService<IMembershipStore>();
        var shared = (await store.ListByUserAsync(owner.Id)).Single().OrganizationId; // the owner's personal organization
        Assert.Equal(WriteOutcome.Written, await store.AddAsync(new Membership(shared, member.Id, OrganizationRole.Member, false, Hub.Services.GetRequiredService<TimeProvider>().GetUtcNow())));
        using var admin = Hub.Client(Hub.AdminKey);

        var refused = await admin.DeleteAsync($"/v1/admin/users/{owner.Id}");
        var memberDeleted = await admin.DeleteAsync($"/v1/admin/users/{member.Id}");
        var ownerDeleted = await admin.DeleteAsync($"/v1/admin/users/{owner.Id}");

        var problem = await Problem(refused, HttpStatusCode.Conflict, "last-owner");
        Assert.Contains(shared, (string?)problem["detail"], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NoContent, memberDeleted.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, ownerDeleted.StatusCode);
        Assert.Empty(await store.ListByUserAsync(member.Id));
        Assert.Empty(await store.ListByUserAsync(owner.Id));
        Assert.Empty(await store.ListByOrganizationAsync(shared));
    }

    private async Task<User> SignUpAsync(string email)
    {
        var result = await Hub.Services.GetRequiredService<UserSessionService>().SignUpAsync(email, StrongPassword, "Pat");
        Assert.True(result.IsSuccess, result.Error?.Code);
        return result.Value!;
    }
}
