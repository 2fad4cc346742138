using Azure.Data.Tables;
using Integrations.Core.Common;
using Integrations.Core.Identity.Organizations;
using Integrations.Core.Identity.Passwords;
using Integrations.Core.Identity.Tokens;
using Integrations.Core.Identity.Users;
using Integrations.Testing;

namespace Integrations.Azure.Tests.Identity.Users;

/// <summary>Sign-up, login, refresh rotation with reuse detection and the grace window, logout and password change, on Azurite.</summary>
public sealed class UserSessionServiceTests
{
    [Fact]
    public async Task SignUp_NewAddress_StoresTheUserWithAnArgon2idHash_AndAsksForAPersonalOrganization()
    {
        await using var hub = await UserHub.StartAsync();

        var result = await hub.Users.SignUpAsync("  Alice@Example.COM ", UserHub.StrongPassword, " Alice Liddell ");

        Assert.True(result.IsSuccess);
        var stored = await hub.Store.GetAsync(result.Value.Id);
        Assert.NotNull(stored);
        Assert.StartsWith("usr_", stored.Id, StringComparison.Ordinal);
        Assert.Equal("Alice@example.com", stored.Email);
        Assert.Equal("alice@example.com", stored.EmailLookupKey);
        Assert.Equal("Alice Liddell", stored.DisplayName);
        Assert.False(stored.EmailVerified);
        Assert.StartsWith("$argon2id$v=19$", stored.PasswordHash, StringComparison.Ordinal);
        Assert.Equal([stored.Id], hub.Organizations.PersonalCreatedFor);
        Assert.Equal(stored.Id, (await hub.Store.FindByEmailAsync("alice@example.com"))?.Id);
    }

    [Theory]
    [InlineData("alice@example.com")]
    [InlineData("ALICE@EXAMPLE.COM")]
    [InlineData("ａｌｉｃｅ＠ｅｘａｍｐｌｅ．ｃｏｍ")] // full-width: the same address after NFKC
    public async Task SignUp_AnAddressEqualAfterNormalisation_IsRefusedAsTaken(string again)
    {
        await using var hub = await UserHub.StartAsync();
        await hub.SignUpAsync("Alice@example.com");

        var duplicate = await hub.Users.SignUpAsync(again, "Another-Quite-Long-Pass-77", "Mallory");

        Assert.Equal(UserErrors.EmailTaken, duplicate.Error?.Code);
        Assert.Equal(ErrorKind.Conflict, duplicate.Error?.Kind);
        Assert.Single(hub.Organizations.PersonalCreatedFor);
    }

    [Fact]
    public async Task SignUp_ClaimLeftByASignUpThatDied_HoldsTheAddressForAMinute_ThenIsTakenOver()
    {
        await using var hub = await UserHub.StartAsync();
        var authority = hub.Services.Get<Core.Integrity.AuthorityRows>();
        var hash = await authority.EmailLookupHashAsync("sam@example.com");
        var claimedAt = hub.Time.GetUtcNow();
        // What a sign-up leaves when its process dies between the claim and the user row: a valid claim, no user.
        await new TableClient(hub.Services.ConnectionString, hub.Services.Prefix + "users").AddEntityAsync(
            new TableEntity("e:" + hash, "email")
            {
                ["UserId"] = "usr_neverwrittenaaaaaaaa",
                ["ClaimedAt"] = claimedAt,
                ["Mac"] = await authority.SignEmailClaimAsync(hash, "usr_neverwrittenaaaaaaaa", claimedAt),
                ["Format"] = Core.Integrity.AuthorityRows.RowFormat,
            });

        var inFlight = await hub.Users.SignUpAsync("sam@example.com", UserHub.StrongPassword, null);
        hub.Time.Advance(TimeSpan.FromMinutes(1));
        var later = await hub.Users.SignUpAsync("sam@example.com", UserHub.StrongPassword, null);

        Assert.Equal(UserErrors.EmailTaken, inFlight.Error?.Code);
        Assert.True(later.IsSuccess);
        Assert.Equal(later.Value.Id, (await hub.Store.FindByEmailAsync("sam@example.com"))?.Id);
    }

    [Fact]
    public async Task SignUp_CommonPassword_IsRefusedByThePolicy_AndNothingIsStored()
    {
        await using var hub = await UserHub.StartAsync();

        var refused = await hub.Users.SignUpAsync("bob@example.com", "Password1!", null);

        Assert.Equal(PasswordErrors.PasswordTooCommon, refused.Error?.Code);
        Assert.Null(await hub.Store.FindByEmailAsync("bob@example.com"));
    }

    [Fact]
    public async Task Login_RightPassword_IssuesAnAccessTokenForTheSession_AndARefreshToken()
    {
        await using var hub = await UserHub.StartAsync();
        var user = await hub.SignUpAsync("carol@example.com");

        var tokens = await hub.LoginAsync("CAROL@example.com");

        var principal = (await hub.Services.Get<AccessTokenValidator>().ValidateAsync(tokens.AccessToken.Token)).Principal;
        Assert.NotNull(principal);
        Assert.Equal(user.Id, principal.UserId);
        Assert.Equal(tokens.SessionId, principal.SessionId);
        Assert.Equal(UserOrganizations.PersonalOrganizationId(user.Id), principal.OrganizationId);
        Assert.Equal("owner", principal.Role);
        Assert.True(RefreshToken.IsWellFormed(tokens.RefreshToken));
        var session = await hub.Store.GetSessionAsync(user.Id, tokens.SessionId);
        Assert.Equal(UserHub.Source, session?.Source);
        Assert.Equal(hub.Time.GetUtcNow().AddDays(30), tokens.RefreshTokenExpiresAt);
    }

    [Fact]
    public async Task Login_WrongPasswordUnknownEmailAndMalformedEmail_GiveOneAnswer_AtOneArgon2idComputationEach()
    {
        await using var hub = await UserHub.StartAsync();
        await hub.SignUpAsync("dave@example.com");
        var (verifies, dummies) = (hub.Hasher.Verifies, hub.Hasher.Dummies);

        var wrong = await hub.Users.LoginAsync("dave@example.com", "Not-The-Password-123", UserHub.Source);
        var unknown = await hub.Users.LoginAsync("nobody@example.com", "Not-The-Password-123", UserHub.Source);
        var malformed = await hub.Users.LoginAsync("not an address", "Not-The-Password-123", UserHub.Source);

        Assert.Equal(UserErrors.InvalidCredentials, wrong.Error?.Code);
        Assert.Equal(wrong.Error, unknown.Error);
        Assert.Equal(wrong.Error, malformed.Error);
        Assert.Equal(verifies + 1, hub.Hasher.Verifies);
        Assert.Equal(dummies + 2, hub.Hasher.Dummies);
    }

    [Fact]
    public async Task Login_HashMadeWithWeakerParameters_IsRehashedWithTodays()
    {
        var weak = new Dictionary<string, string?> { ["Auth:PasswordHashing:MemoryKiB"] = "7168", ["Auth:PasswordHashing:Iterations"] = "5" };
        await using var before = await UserHub.StartAsync(settings: weak);
        var user = await before.SignUpAsync("erin@example.com");
        Assert.StartsWith("$argon2id$v=19$m=7168,t=5,p=1$", (await before.Store.GetAsync(user.Id))!.PasswordHash, StringComparison.Ordinal);

        // The operator raised the parameters: a new instance over the same storage.
        await using var after = await UserHub.StartAsync(before.Services.Prefix, RootKey(before));
        await after.LoginAsync("erin@example.com");
        var hashes = after.Hasher.Hashes;
        await after.LoginAsync("erin@example.com");

        var rehashed = (await after.Store.GetAsync(user.Id))!.PasswordHash;
        Assert.StartsWith("$argon2id$v=19$m=19456,t=2,p=1$", rehashed, StringComparison.Ordinal);
        Assert.Equal(hashes, after.Hasher.Hashes); // the second login found nothing to upgrade
    }

    [Fact]
    public async Task Refresh_CurrentToken_RotatesToANewPairOfTheSameSession_AndTheNewTokenRotatesToo()
    {
        await using var hub = await UserHub.StartAsync();
        await hub.SignUpAsync("frank@example.com");
        var login = await hub.LoginAsync("frank@example.com");
        hub.Time.Advance(TimeSpan.FromMinutes(5));

        var first = await hub.Users.RefreshAsync(login.RefreshToken);
        var second = await hub.Users.RefreshAsync(first.Value!.RefreshToken);

        Assert.True(first.IsSuccess);
        Assert.NotEqual(login.RefreshToken, first.Value.RefreshToken);
        Assert.NotEqual(login.AccessToken.TokenId, first.Value.AccessToken.TokenId);
        Assert.Equal(login.SessionId, first.Value.SessionId);
        Assert.True(second.IsSuccess);
        var session = await hub.Store.GetSessionAsync(login.User.Id, login.SessionId);
        Assert.Equal(2, session?.Generation);
        Assert.Equal(hub.Time.GetUtcNow().AddDays(30), second.Value!.RefreshTokenExpiresAt);
    }

    [Fact]
    public async Task Refresh_RotatedTokenUsedAgainAfterTheGrace_RevokesTheWholeFamily()
    {
        await using var hub = await UserHub.StartAsync();
        await hub.SignUpAsync("grace@example.com");
        var login = await hub.LoginAsync("grace@example.com");
        var rotated = (await hub.Users.RefreshAsync(login.RefreshToken)).Value!;
        hub.Time.Advance(TimeSpan.FromSeconds(10));

        var reused = await hub.Users.RefreshAsync(login.RefreshToken);
        var newest = await hub.Users.RefreshAsync(rotated.RefreshToken);

        Assert.Equal(UserErrors.InvalidRefreshToken, reused.Error?.Code);
        Assert.Equal(UserErrors.InvalidRefreshToken, newest.Error?.Code); // the thief's or the owner's copy: both end
        var session = await hub.Store.GetSessionAsync(login.User.Id, login.SessionId);
        Assert.Equal(SessionRevocation.ReuseDetected, session?.RevokedReason);
        Assert.Null(session?.SealedGrace);
        Assert.Contains(hub.Logs.Lines, l => l.StartsWith("9657 Warning", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Refresh_ParallelUseInsideTheGrace_ReturnsTheSamePairToBoth_AndTheSessionLives()
    {
        await using var hub = await UserHub.StartAsync();
        await hub.SignUpAsync("heidi@example.com");
        var login = await hub.LoginAsync("heidi@example.com");

        var both = await Task.WhenAll(hub.Users.RefreshAsync(login.RefreshToken), hub.Users.RefreshAsync(login.RefreshToken));
        hub.Time.Advance(TimeSpan.FromSeconds(9));
        var late = await hub.Users.RefreshAsync(login.RefreshToken);

        Assert.All(both, r => Assert.True(r.IsSuccess));
        Assert.Equal(both[0].Value!.RefreshToken, both[1].Value!.RefreshToken);
        Assert.Equal(both[0].Value!.AccessToken.Token, both[1].Value!.AccessToken.Token);
        Assert.Equal(both[0].Value!.RefreshToken, late.Value?.RefreshToken);
        Assert.Equal(both[0].Value!.AccessToken, late.Value?.AccessToken);
        var session = await hub.Store.GetSessionAsync(login.User.Id, login.SessionId);
        Assert.Null(session?.RevokedAt);
        Assert.Equal(1, session?.Generation);
        Assert.True((await hub.Users.RefreshAsync(both[0].Value!.RefreshToken)).IsSuccess);
    }

    [Fact]
    public async Task Refresh_ATokenTwoRotationsOld_InsideTheGrace_IsReuse()
    {
        await using var hub = await UserHub.StartAsync();
        await hub.SignUpAsync("ivan@example.com");
        var login = await hub.LoginAsync("ivan@example.com");
        var second = (await hub.Users.RefreshAsync(login.RefreshToken)).Value!;
        await hub.Users.RefreshAsync(second.RefreshToken);

        var reused = await hub.Users.RefreshAsync(login.RefreshToken);

        Assert.Equal(UserErrors.InvalidRefreshToken, reused.Error?.Code);
        Assert.Equal(SessionRevocation.ReuseDetected, (await hub.Store.GetSessionAsync(login.User.Id, login.SessionId))?.RevokedReason);
    }

    [Fact]
    public async Task Refresh_PastTheRefreshTokenLifetime_IsRefused()
    {
        await using var hub = await UserHub.StartAsync();
        await hub.SignUpAsync("judy@example.com");
        var login = await hub.LoginAsync("judy@example.com");
        hub.Time.Advance(TimeSpan.FromDays(30));

        var refreshed = await hub.Users.RefreshAsync(login.RefreshToken);

        Assert.Equal(UserErrors.InvalidRefreshToken, refreshed.Error?.Code);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("ihr_notarealtokenatallxxxxxxxxxxxxxxxxxxx")]
    [InlineData("ihk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task Refresh_MalformedOrUnknownToken_IsRefused(string? token)
    {
        await using var hub = await UserHub.StartAsync();

        var refreshed = await hub.Users.RefreshAsync(token);

        Assert.Equal(UserErrors.InvalidRefreshToken, refreshed.Error?.Code);
    }

    [Fact]
    public async Task Refresh_WithAnotherOrganizationOfTheUser_SpeaksForIt_AndOneTheyAreNotInIsNotFound()
    {
        await using var hub = await UserHub.StartAsync();
        var user = await hub.SignUpAsync("ken@example.com");
        await hub.Memberships.AddAsync(new Membership("org_otherorgaaaaaaaaaaaa", user.Id, OrganizationRole.Viewer, Personal: false, hub.Time.GetUtcNow()));
        var login = await hub.LoginAsync("ken@example.com");

        var elsewhere = await hub.Users.RefreshAsync(login.RefreshToken, "org_notmineaaaaaaaaaaaa");
        var switched = await hub.Users.RefreshAsync(login.RefreshToken, "org_otherorgaaaaaaaaaaaa");

        Assert.Equal(ErrorKind.NotFound, elsewhere.Error?.Kind);
        var principal = (await hub.Services.Get<AccessTokenValidator>().ValidateAsync(switched.Value!.AccessToken.Token)).Principal;
        Assert.Equal(("org_otherorgaaaaaaaaaaaa", "viewer"), (principal?.OrganizationId, principal?.Role));
    }

    [Fact]
    public async Task Logout_RefusesThatSessionsRefreshTokenAtOnce_AndLeavesOtherSessions()
    {
        await using var hub = await UserHub.StartAsync();
        await hub.SignUpAsync("leo@example.com");
        var phone = await hub.LoginAsync("leo@example.com");
        var laptop = await hub.LoginAsync("leo@example.com");

        var loggedOut = await hub.Users.LogoutAsync(phone.User.Id, phone.SessionId);
        var again = await hub.Users.LogoutAsync(phone.User.Id, phone.SessionId);

        Assert.Equal(SessionRevocation.Logout, loggedOut.Value?.RevokedReason);
        Assert.True(again.IsSuccess);
        Assert.Equal(UserErrors.InvalidRefreshToken, (await hub.Users.RefreshAsync(phone.RefreshToken)).Error?.Code);
        Assert.True((await hub.Users.RefreshAsync(laptop.RefreshToken)).IsSuccess);
        Assert.Equal(ErrorKind.NotFound, (await hub.Users.LogoutAsync("usr_someoneelseaaaaaaaaa", phone.SessionId)).Error?.Kind);
    }

    [Fact]
    public async Task LogoutAll_RefusesEveryRefreshTokenOfTheUserAtOnce_IncludingOnesInTheGrace()
    {
        await using var hub = await UserHub.StartAsync();
        await hub.SignUpAsync("mia@example.com");
        var sessions = new[] { await hub.LoginAsync("mia@example.com"), await hub.LoginAsync("mia@example.com"), await hub.LoginAsync("mia@example.com") };
        var rotated = (await hub.Users.RefreshAsync(sessions[0].RefreshToken)).Value!;

        var ended = await hub.Users.LogoutAllAsync(sessions[0].User.Id);

        Assert.Equal(3, ended.Value);
        foreach (var token in sessions.Select(s => s.RefreshToken).Append(rotated.RefreshToken))
        {
            Assert.Equal(UserErrors.InvalidRefreshToken, (await hub.Users.RefreshAsync(token)).Error?.Code);
        }

        Assert.All(await hub.Store.ListSessionsAsync(sessions[0].User.Id), s => Assert.Equal(SessionRevocation.LogoutAll, s.RevokedReason));
        Assert.True((await hub.Users.LoginAsync("mia@example.com", UserHub.StrongPassword, UserHub.Source)).IsSuccess);
    }

    [Fact]
    public async Task ChangePassword_EndsEverySession_TheOldPasswordStopsAndTheNewOneWorks()
    {
        await using var hub = await UserHub.StartAsync();
        var user = await hub.SignUpAsync("nina@example.com");
        var login = await hub.LoginAsync("nina@example.com");
        const string NewPassword = "Lantern-Orchid-Basalt-42";

        var wrongCurrent = await hub.Users.ChangePasswordAsync(user.Id, "Not-The-Password-123", NewPassword);
        var changed = await hub.Users.ChangePasswordAsync(user.Id, UserHub.StrongPassword, NewPassword);

        Assert.Equal(UserErrors.InvalidCredentials, wrongCurrent.Error?.Code);
        Assert.Equal("current_password", wrongCurrent.Error?.Field);
        Assert.True(changed.IsSuccess);
        Assert.Equal(UserErrors.InvalidRefreshToken, (await hub.Users.RefreshAsync(login.RefreshToken)).Error?.Code);
        Assert.Equal(SessionRevocation.PasswordChanged, (await hub.Store.GetSessionAsync(user.Id, login.SessionId))?.RevokedReason);
        Assert.Equal(UserErrors.InvalidCredentials, (await hub.Users.LoginAsync("nina@example.com", UserHub.StrongPassword, UserHub.Source)).Error?.Code);
        Assert.True((await hub.Users.LoginAsync("nina@example.com", NewPassword, UserHub.Source)).IsSuccess);
    }

    [Fact]
    public async Task ChangePassword_ASessionWrittenWithTheOldSecurityStamp_IsRefusedAtItsFirstRefresh()
    {
        await using var hub = await UserHub.StartAsync();
        var user = await hub.SignUpAsync("oscar@example.com");
        var racing = await hub.LoginAsync("oscar@example.com");
        var session = (await hub.Store.GetSessionAsync(user.Id, racing.SessionId))!;

        await hub.Users.ChangePasswordAsync(user.Id, UserHub.StrongPassword, "Lantern-Orchid-Basalt-42");
        // A login that checked the old password before the change commits its session after it (as a race would).
        await hub.Store.UpdateSessionAsync((await hub.Store.GetSessionAsync(user.Id, racing.SessionId))! with
        {
            RevokedAt = null, RevokedReason = null, SecurityStamp = session.SecurityStamp,
        });

        Assert.Equal(UserErrors.InvalidRefreshToken, (await hub.Users.RefreshAsync(racing.RefreshToken)).Error?.Code);
    }

    [Fact]
    public async Task NoPasswordOrToken_ReachesALogLineAnErrorOrARowInPlaintext()
    {
        await using var hub = await UserHub.StartAsync();
        const string Password = UserHub.StrongPassword;
        await hub.SignUpAsync("peggy@example.com", Password);
        var login = await hub.LoginAsync("peggy@example.com", Password);
        var rotated = (await hub.Users.RefreshAsync(login.RefreshToken)).Value!;
        var graced = (await hub.Users.RefreshAsync(login.RefreshToken)).Value!;
        var wrong = await hub.Users.LoginAsync("peggy@example.com", Password + "x", UserHub.Source);
        var unknownRefresh = await hub.Users.RefreshAsync(rotated.RefreshToken[..^1] + "Z");
        hub.Time.Advance(TimeSpan.FromMinutes(1));
        var reuse = await hub.Users.RefreshAsync(login.RefreshToken);

        Assert.Equal(rotated.RefreshToken, graced.RefreshToken);
        var secrets = new[] { Password, login.RefreshToken, rotated.RefreshToken, login.AccessToken.Token, rotated.AccessToken.Token };
        var texts = hub.Logs.Lines.Concat(new[] { wrong.Error!.Message, unknownRefresh.Error!.Message, reuse.Error!.Message, login.ToString(), rotated.ToString(),
            login.User.ToString(), wrong.ToString() });
        var rows = await StorageRows.ReadAllAsync(hub.Services.ConnectionString, hub.Services.Prefix);
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(texts, t => t.Contains(secret, StringComparison.Ordinal));
            Assert.False(StorageRows.Contains(rows, secret));
        }

        Assert.DoesNotContain(hub.Logs.Lines, l => l.Contains("peggy", StringComparison.OrdinalIgnoreCase));
    }

    private static string RootKey(UserHub hub) => hub.Services.Get<Microsoft.Extensions.Configuration.IConfiguration>()["KeyWrapping:RootKey"]!;
}
