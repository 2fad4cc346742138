using Integrations.Client.Auth;
using Integrations.Testing;

namespace Integrations.Client.Tests.Auth;

/// <summary>
/// People's accounts, every method once, against the Server process: the anonymous calls, the calls made with the person's
/// access token, and recovery tokens taken from the hub's signed auth events as a platform's app takes them.
/// </summary>
[Collection(IdentityHubGroup.Name)]
public sealed class AuthClientTests(IdentityHub hub)
{
    private const string Password = "Kettle-Harbour-Quartz-91";
    private const string NewPassword = "Lantern-Meadow-Cobalt-58";

    [Fact]
    public async Task SignUpVerifyMe_NewPerson_IsVerifiedWithTheMailedTokenAndTheirTokenActsAsThem()
    {
        // Arrange
        using var hubClient = hub.Client(hub.Platform.ApiKey);
        var email = NewEmail();

        // Act
        var tokens = await hubClient.Auth.SignUpAsync(email, Password, "Pat");
        var before = await hubClient.Auth.GetMeAsync(tokens.AccessToken);
        var token = await hub.NextRecoveryTokenAsync("auth.email_verification_required", tokens.User.Id);
        var verified = await hubClient.Auth.VerifyEmailAsync(token);
        var after = await hubClient.Auth.GetMeAsync(tokens.AccessToken);
        using var asPerson = hub.Client(tokens.AccessToken);
        var members = await asPerson.Organizations.ListMembersAsync(tokens.OrganizationId);

        // Assert
        Assert.StartsWith("usr_", tokens.User.Id, StringComparison.Ordinal);
        Assert.Equal("Bearer", tokens.TokenType);
        Assert.True(tokens.ExpiresIn > 0);
        Assert.Equal("owner", tokens.Role);
        Assert.DoesNotContain(tokens.AccessToken, tokens.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(tokens.RefreshToken, tokens.ToString(), StringComparison.Ordinal);
        Assert.Equal(email, before.Email);
        Assert.Equal("Pat", before.DisplayName);
        Assert.False(before.EmailVerified);
        Assert.True(Assert.Single(before.Organizations).Personal);
        Assert.True(verified.Verified);
        Assert.Equal(tokens.User.Id, verified.UserId);
        Assert.True(after.EmailVerified);
        Assert.Equal([tokens.User.Id], members.Data.Select(m => m.UserId));
    }

    [Fact]
    public async Task LoginRefreshLogout_RotatedRefreshTokens_AnOlderOneEndsTheSessionAndLogoutEndsAnother()
    {
        // Arrange: a client with no API key at all, as a sign-in service has.
        using var http = new HttpClient();
        var auth = new AuthClient(hub.BaseAddress, http);
        var email = NewEmail();
        await auth.SignUpAsync(email, Password);

        // Act
        var login = await auth.LoginAsync(email, Password);
        var first = await auth.RefreshAsync(login.RefreshToken);
        var sameTokenAgain = await auth.RefreshAsync(login.RefreshToken); // two tabs at once: the hub's grace window answers the same pair
        var second = await auth.RefreshAsync(first.RefreshToken);
        var me = await auth.GetMeAsync(second.AccessToken);
        var reuse = await Assert.ThrowsAsync<HubUnauthorizedException>(() => auth.RefreshAsync(login.RefreshToken)); // a stale copy: someone else has it
        var sessionEnded = await Assert.ThrowsAsync<HubUnauthorizedException>(() => auth.RefreshAsync(second.RefreshToken));
        var other = await auth.LoginAsync(email, Password);
        await auth.LogoutAsync(other.RefreshToken);
        await auth.LogoutAsync("not-a-refresh-token"); // the same answer for a token that is not one
        var afterLogout = await Assert.ThrowsAsync<HubUnauthorizedException>(() => auth.RefreshAsync(other.RefreshToken));

        // Assert
        Assert.NotEqual(login.RefreshToken, first.RefreshToken);
        Assert.Equal(first.RefreshToken, sameTokenAgain.RefreshToken);
        Assert.Equal(login.User.Id, second.User.Id);
        Assert.Equal(email, me.Email);
        Assert.NotNull(reuse.Code);
        Assert.Equal(reuse.Code, sessionEnded.Code);
        Assert.NotNull(afterLogout.Code);
        Assert.Throws<ArgumentException>(() => new AuthClient(new Uri("http://hub.example.com"), http));
    }

    [Fact]
    public async Task Login_WrongPassword_ThrowsUnauthorizedWithoutThePassword()
    {
        using var client = hub.Client(hub.Platform.ApiKey);
        var email = NewEmail();
        await client.Auth.SignUpAsync(email, Password);

        var error = await Assert.ThrowsAsync<HubUnauthorizedException>(() => client.Auth.LoginAsync(email, "Wrong-Password-Entirely-1"));

        Assert.NotNull(error.Code);
        Assert.DoesNotContain("Wrong-Password", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChangePasswordAndLogoutAll_AsThePerson_TheNewPasswordLogsInAndEverySessionEnds()
    {
        // Arrange
        using var client = hub.Client(hub.Platform.ApiKey);
        var email = NewEmail();
        var signedUp = await client.Auth.SignUpAsync(email, Password);

        // Act
        await client.Auth.ChangePasswordAsync(signedUp.AccessToken, Password, NewPassword);
        var oldPassword = await Assert.ThrowsAsync<HubUnauthorizedException>(() => client.Auth.LoginAsync(email, Password));
        var first = await client.Auth.LoginAsync(email, NewPassword);
        var second = await client.Auth.LoginAsync(email, NewPassword);
        var wrongCurrent = await Assert.ThrowsAsync<HubValidationException>(() => client.Auth.ChangePasswordAsync(second.AccessToken, "Not-The-Password-77", Password));
        var ended = await client.Auth.LogoutAllAsync(first.AccessToken);

        // Assert
        Assert.NotNull(oldPassword.Code);
        Assert.True(ended >= 2, $"ended {ended} sessions");
        await Assert.ThrowsAsync<HubUnauthorizedException>(() => client.Auth.RefreshAsync(second.RefreshToken));
        await Assert.ThrowsAsync<HubUnauthorizedException>(() => client.Auth.GetMeAsync(second.AccessToken));
        Assert.NotNull(wrongCurrent.Code);
    }

    [Fact]
    public async Task PasswordReset_TokenFromTheEvent_SetsTheNewPassword()
    {
        // Arrange
        using var client = hub.Client(hub.Platform.ApiKey);
        var email = NewEmail();
        var signedUp = await client.Auth.SignUpAsync(email, Password);

        // Act
        await client.Auth.RequestPasswordResetAsync(email);
        await client.Auth.RequestPasswordResetAsync(NewEmail()); // nobody's address: the same answer
        var token = await hub.NextRecoveryTokenAsync("auth.password_reset_requested", signedUp.User.Id);
        var bogus = await Assert.ThrowsAsync<HubValidationException>(() => client.Auth.ConfirmPasswordResetAsync("not-a-reset-token", NewPassword));
        await client.Auth.ConfirmPasswordResetAsync(token, NewPassword);
        var login = await client.Auth.LoginAsync(email, NewPassword);

        // Assert
        Assert.NotNull(bogus.Code);
        Assert.Equal(signedUp.User.Id, login.User.Id);
        await Assert.ThrowsAsync<HubUnauthorizedException>(() => client.Auth.LoginAsync(email, Password));
    }

    [Fact]
    public async Task SocialConnections_APasswordAccount_HasNoneAndSocialLoginNeedsThePlatformsScope()
    {
        // Arrange
        using var client = hub.Client(hub.Platform.ApiKey);
        var signedUp = await client.Auth.SignUpAsync(NewEmail(), Password);

        // Act
        var connections = await client.Auth.ListSocialConnectionsAsync(signedUp.AccessToken);
        var delete = await Assert.ThrowsAsync<HubNotFoundException>(() => client.Auth.DeleteSocialConnectionAsync(signedUp.AccessToken, "google"));
        // The owner key of the platform's organization: auth:social-login is granted only by an operator, never by an owner key.
        var socialLogin = await Assert.ThrowsAsync<HubForbiddenException>(() =>
            client.Auth.SocialLoginAsync(new SocialProfile("google", "1098" + TestRandom.Hex(8), NewEmail(), true)));

        // Assert
        Assert.Empty(connections);
        Assert.NotNull(delete.Code);
        Assert.NotNull(socialLogin.Code);
    }

    private static string NewEmail() => $"p{TestRandom.Hex(12)}@example.com";
}
