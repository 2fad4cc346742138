using Integrations.Azure.Tests.Identity.Users;
using Integrations.Core.Common;
using Integrations.Core.Events;
using Integrations.Core.Identity.Social;
using Integrations.Core.Identity.Users;
using Microsoft.Extensions.DependencyInjection;
using static Integrations.Azure.Tests.Identity.Social.SocialHub;

namespace Integrations.Azure.Tests.Identity.Social;

public sealed class SocialLoginServiceTests
{
    [Fact]
    public async Task LoginAsync_NoLinkNoAccount_CreatesAPasswordlessUserWithAPersonalOrganization_ThenTheLinkFindsThem()
    {
        await using var hub = await SocialHub.StartAsync();

        var first = await hub.Social().LoginAsync(Profile("new.person@example.com"), UserHub.Source);
        var second = await hub.Social().LoginAsync(Profile("changed.at.provider@example.com"), UserHub.Source);

        Assert.True(first.IsSuccess, first.Error?.Message);
        Assert.Equal(SocialLoginBranch.Created, first.Value!.Branch);
        var user = first.Value!.Tokens.User;
        Assert.Null(user.PasswordHash);
        Assert.True(user.EmailVerified);
        Assert.Equal("Social Person", user.DisplayName);
        Assert.Single(await hub.Memberships.ListByUserAsync(user.Id));
        Assert.Equal(SocialLoginBranch.Linked, second.Value!.Branch);
        Assert.Equal(user.Id, second.Value!.Tokens.User.Id);
        Assert.True((await hub.Users.RefreshAsync(second.Value!.Tokens.RefreshToken)).IsSuccess);
    }

    [Fact]
    public async Task LoginAsync_UnverifiedProfileForANewAddress_CreatesAnUnverifiedUser()
    {
        await using var hub = await SocialHub.StartAsync();

        var created = await hub.Social().LoginAsync(Profile("unverified@example.com", emailVerified: false), UserHub.Source);

        Assert.Equal(SocialLoginBranch.Created, created.Value!.Branch);
        Assert.False(created.Value!.Tokens.User.EmailVerified);
    }

    [Fact]
    public async Task LoginAsync_AddressOfAVerifiedAccount_LinksItAndKeepsItsPassword()
    {
        await using var hub = await SocialHub.StartAsync();
        var existing = await hub.SignUpAsync("owner@example.com");
        await MarkVerifiedAsync(hub, existing.Id);

        var linked = await hub.Social().LoginAsync(Profile("Owner@Example.com"), UserHub.Source);

        Assert.Equal(SocialLoginBranch.LinkedToExisting, linked.Value!.Branch);
        Assert.Equal(existing.Id, linked.Value!.Tokens.User.Id);
        Assert.True((await hub.Users.LoginAsync("owner@example.com", UserHub.StrongPassword, UserHub.Source)).IsSuccess);
        Assert.Equal("google", Assert.Single(await hub.Links().ListAsync(existing.Id)).Provider);
    }

    [Fact]
    public async Task LoginAsync_AddressOfAnAccount_ProviderDidNotVerifyIt_Is409AndLinksNothing()
    {
        await using var hub = await SocialHub.StartAsync();
        var existing = await hub.SignUpAsync("owner@example.com");
        await MarkVerifiedAsync(hub, existing.Id);

        var refused = await hub.Social().LoginAsync(Profile("owner@example.com", emailVerified: false), UserHub.Source);

        Assert.Equal(SocialErrors.EmailUnverified, refused.Error?.Code);
        Assert.Equal(ErrorKind.Conflict, refused.Error?.Kind);
        Assert.Empty(await hub.Links().ListAsync(existing.Id));
    }

    [Fact]
    public async Task LoginAsync_AddressOfAnUnverifiedAccount_PreRegisteredByAnAttacker_LosesItsPasswordAndSessions()
    {
        await using var hub = await SocialHub.StartAsync();
        // The attacker signed up first with the victim's address and a password of theirs, and is logged in.
        var planted = await hub.SignUpAsync("victim@example.com");
        var attackerSession = await hub.LoginAsync("victim@example.com");

        var victim = await hub.Social().LoginAsync(Profile("victim@example.com"), UserHub.Source);

        Assert.Equal(SocialLoginBranch.LinkedToExisting, victim.Value!.Branch);
        var user = (await hub.Store.GetAsync(planted.Id))!;
        Assert.Null(user.PasswordHash);
        Assert.True(user.EmailVerified);
        Assert.False((await hub.Users.LoginAsync("victim@example.com", UserHub.StrongPassword, UserHub.Source)).IsSuccess);
        Assert.Equal(UserErrors.InvalidRefreshToken, (await hub.Users.RefreshAsync(attackerSession.RefreshToken)).Error?.Code);
        Assert.True((await hub.Users.RefreshAsync(victim.Value!.Tokens.RefreshToken)).IsSuccess);
        Assert.Contains(hub.Logs.Lines, l => l.StartsWith("9822 ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task LoginAsync_SecondAccountOfTheSameProvider_ForAnAccountAlreadyLinked_Is409()
    {
        await using var hub = await SocialHub.StartAsync();
        await hub.Social().LoginAsync(Profile("one@example.com", providerUserId: "g-1"), UserHub.Source);

        var other = await hub.Social().LoginAsync(Profile("one@example.com", providerUserId: "g-2"), UserHub.Source);

        Assert.Equal(SocialErrors.ProviderAlreadyLinked, other.Error?.Code);
    }

    [Theory]
    [InlineData("Google", "g-1", null, SocialErrors.InvalidProvider)]
    [InlineData("-google", "g-1", null, SocialErrors.InvalidProvider)]
    [InlineData("a-provider-name-longer-than-32-ch", "g-1", null, SocialErrors.InvalidProvider)]
    [InlineData("google", "", null, SocialErrors.InvalidProviderUserId)]
    [InlineData("google", "g 1", null, SocialErrors.InvalidProviderUserId)]
    [InlineData("google", "g\u00001", null, SocialErrors.InvalidProviderUserId)]
    [InlineData("google", "g-1", "http://lh3.example.com/a.png", SocialErrors.InvalidAvatarUrl)]
    [InlineData("google", "g-1", "https://user:pw@lh3.example.com/a.png", SocialErrors.InvalidAvatarUrl)]
    [InlineData("google", "g-1", "/a.png", SocialErrors.InvalidAvatarUrl)]
    public async Task LoginAsync_MalformedProfile_IsRefusedWithTheFieldsCode(string provider, string providerUserId, string? avatar, string code)
    {
        await using var hub = await SocialHub.StartAsync();

        var refused = await hub.Social().LoginAsync(new SocialProfile(provider, providerUserId, "p@example.com", true, null, avatar), UserHub.Source);

        Assert.Equal(code, refused.Error?.Code);
    }

    [Fact]
    public async Task LoginAsync_ProviderUserIdOf256Characters_IsRefused_255Accepted()
    {
        await using var hub = await SocialHub.StartAsync();

        var tooLong = await hub.Social().LoginAsync(Profile("p@example.com", providerUserId: new string('a', 256)), UserHub.Source);
        var longest = await hub.Social().LoginAsync(Profile("p@example.com", providerUserId: new string('a', 255)), UserHub.Source);

        Assert.Equal(SocialErrors.InvalidProviderUserId, tooLong.Error?.Code);
        Assert.True(longest.IsSuccess);
    }

    [Fact]
    public async Task UnlinkAsync_LastWayIn_Is409_WithAnotherLink_Removes()
    {
        await using var hub = await SocialHub.StartAsync();
        var created = await hub.Social().LoginAsync(Profile("p@example.com"), UserHub.Source);
        var userId = created.Value!.Tokens.User.Id;

        var last = await hub.Social().UnlinkAsync(userId, "google");
        await hub.Social().LoginAsync(Profile("p@example.com", provider: "github", providerUserId: "gh-7"), UserHub.Source);
        var removed = await hub.Social().UnlinkAsync(userId, "google");
        var unknown = await hub.Social().UnlinkAsync(userId, "apple");

        Assert.Equal(SocialErrors.LastLoginMethod, last.Error?.Code);
        Assert.True(removed.IsSuccess);
        Assert.Equal(ErrorKind.NotFound, unknown.Error?.Kind);
        Assert.Equal("github", Assert.Single(await hub.Links().ListAsync(userId)).Provider);
        // The removed provider account no longer finds the person: it makes a new link attempt to the (verified) address.
        var again = await hub.Social().LoginAsync(Profile("p@example.com"), UserHub.Source);
        Assert.Equal(SocialLoginBranch.LinkedToExisting, again.Value!.Branch);
    }

    [Fact]
    public async Task UnlinkAsync_WithAPassword_RemovesTheOnlyLink()
    {
        await using var hub = await SocialHub.StartAsync();
        var user = await hub.SignUpAsync("p@example.com");
        await MarkVerifiedAsync(hub, user.Id);
        await hub.Social().LoginAsync(Profile("p@example.com"), UserHub.Source);

        Assert.True((await hub.Social().UnlinkAsync(user.Id, "google")).IsSuccess);
        Assert.Empty(await hub.Links().ListAsync(user.Id));
    }

    [Fact]
    public async Task UnlinkAsync_TheLastTwoLinksAtOnce_LeavesOneWayIn()
    {
        for (var round = 0; round < 5; round++)
        {
            await using var hub = await SocialHub.StartAsync();
            var userId = (await hub.Social().LoginAsync(Profile("p@example.com"), UserHub.Source)).Value!.Tokens.User.Id;
            await hub.Social().LoginAsync(Profile("p@example.com", provider: "github", providerUserId: "gh-7"), UserHub.Source);

            var both = await Task.WhenAll(hub.Social().UnlinkAsync(userId, "google"), hub.Social().UnlinkAsync(userId, "github"));

            Assert.Single(both, r => r.IsSuccess);
            Assert.Single(both, r => r.Error?.Code == SocialErrors.LastLoginMethod);
            Assert.Single(await hub.Links().ListAsync(userId));
        }
    }

    [Fact]
    public async Task LoginAsync_TwoFirstLoginsOfOneProviderAccountAtOnce_EndAsOnePersonWithOneLink()
    {
        for (var round = 0; round < 5; round++)
        {
            await using var hub = await SocialHub.StartAsync();

            var both = await Task.WhenAll(
                hub.Social().LoginAsync(Profile("p@example.com"), UserHub.Source), hub.Social().LoginAsync(Profile("p@example.com"), UserHub.Source));

            Assert.All(both, r => Assert.True(r.IsSuccess, r.Error?.Code));
            Assert.Equal(both[0].Value!.Tokens.User.Id, both[1].Value!.Tokens.User.Id);
            Assert.Single(await hub.Links().ListAsync(both[0].Value!.Tokens.User.Id));
        }
    }

    [Fact]
    public async Task LoginAsync_PublishesAuthSocialLogin_WithProviderAndFlags_NeverTheProviderId()
    {
        var heard = new List<UserEvent>();
        await using var hub = await SocialHub.StartAsync(s => s.AddSingleton<IUserEventListener>(new Recording(heard)));

        await hub.Social().LoginAsync(Profile("p@example.com", providerUserId: "secret-sub-123"), UserHub.Source);
        await hub.Social().LoginAsync(Profile("p@example.com", providerUserId: "secret-sub-123"), UserHub.Source);

        Assert.Equal(2, heard.Count(e => e.Type == HubEventTypes.AuthSocialLogin));
        Assert.Equal("true", heard[0].Data!["new_user"]);
        Assert.Equal("false", heard[1].Data!["new_user"]);
        Assert.Equal("false", heard[1].Data!["linked"]);
        Assert.All(heard, e => Assert.Equal("google", e.Data!["provider"]));
        Assert.DoesNotContain(heard.SelectMany(e => e.Data!.Values), v => v.Contains("secret-sub-123", StringComparison.Ordinal));
        Assert.DoesNotContain(hub.Logs.Lines, l => l.Contains("secret-sub-123", StringComparison.Ordinal) || l.Contains("p@example.com", StringComparison.Ordinal));
    }

    [Fact]
    public async Task LoginAsync_AccountLockedByPasswordFailures_StillLogsInThroughItsLink()
    {
        await using var hub = await SocialHub.StartAsync();
        var user = await hub.SignUpAsync("p@example.com");
        await MarkVerifiedAsync(hub, user.Id);
        await hub.Social().LoginAsync(Profile("p@example.com"), UserHub.Source);
        for (var i = 0; i < 5; i++)
        {
            await hub.Users.LoginAsync("p@example.com", "Wrong-Password-" + i, UserHub.Source);
        }

        var locked = await hub.Users.LoginAsync("p@example.com", UserHub.StrongPassword, UserHub.Source);
        var social = await hub.Social().LoginAsync(Profile("p@example.com"), UserHub.Source);

        Assert.Equal(UserErrors.LoginThrottled, locked.Error?.Code);
        Assert.Equal(SocialLoginBranch.Linked, social.Value!.Branch);
    }

    private static async Task MarkVerifiedAsync(UserHub hub, string userId)
    {
        var user = (await hub.Store.GetAsync(userId))!;
        Assert.Equal(WriteOutcome.Written, await hub.Store.UpdateAsync(user with { EmailVerified = true }));
    }

    private sealed class Recording(List<UserEvent> heard) : IUserEventListener
    {
        public Task UserEventAsync(UserEvent userEvent, CancellationToken cancellationToken = default)
        {
            lock (heard)
            {
                heard.Add(userEvent);
            }

            return Task.CompletedTask;
        }
    }
}
