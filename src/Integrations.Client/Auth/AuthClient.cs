using System.Net.Http.Headers;

namespace Integrations.Client.Auth;

/// <summary>
/// People's accounts (<c>/v1/auth/…</c>, <c>/v1/me</c>): what a platform's sign-in pages call. Three kinds of call, and each
/// method says which it is:
/// <list type="bullet">
/// <item><b>Anonymous</b> (sign-up, login, refresh, logout, email verification, password reset): sent with no credential at
/// all — not this client's API key — and limited by the hub per source address.</item>
/// <item><b>As the person</b> (<c>me</c>, logout everywhere, password change, social connections): the method takes the person's
/// access token (from <see cref="AuthTokens.AccessToken"/>) and sends it instead of the API key.</item>
/// <item><b>As the platform</b> (<see cref="SocialLoginAsync"/>): the API key, which must be one of the platform's own organization
/// holding <c>auth:social-login</c>.</item>
/// </list>
/// A person's access token is also a bearer credential for the rest of the API: <c>new IntegrationsHubClient(hubUri, accessToken)</c>
/// acts as that person, with their role's scopes, until the token expires.
/// </summary>
public sealed class AuthClient
{
    private const string SignUpPath = "v1/auth/signup";
    private const string LoginPath = "v1/auth/login";
    private const string RefreshPath = "v1/auth/refresh";
    private const string LogoutPath = "v1/auth/logout";
    private const string LogoutAllPath = "v1/auth/logout-all";
    private const string PasswordPath = "v1/auth/password";
    private const string VerifyPath = "v1/auth/verify";
    private const string PasswordResetPath = "v1/auth/password-reset";
    private const string SocialLoginPath = "v1/auth/social-login";
    private const string MePath = "v1/me";
    private const string SocialConnectionsPath = "v1/me/social-connections";

    private readonly HubTransport _transport;

    internal AuthClient(HubTransport transport) => _transport = transport;

    /// <summary>
    /// An auth client without an API key, for a service that only signs people in: the anonymous calls and the calls made as the
    /// person work; <see cref="SocialLoginAsync"/> does not (it needs the platform's key). The caller owns <paramref name="httpClient"/>
    /// (its handlers, retries and lifetime).
    /// </summary>
    /// <param name="baseAddress">The hub's address (https, or http on loopback).</param>
    /// <param name="httpClient">The client to send with.</param>
    public AuthClient(Uri baseAddress, HttpClient httpClient)
    {
        ArgumentNullException.ThrowIfNull(baseAddress);
        ArgumentNullException.ThrowIfNull(httpClient);
        if (!baseAddress.IsAbsoluteUri || (baseAddress.Scheme != Uri.UriSchemeHttps && !(baseAddress.Scheme == Uri.UriSchemeHttp && baseAddress.IsLoopback)))
        {
            // Passwords and tokens would cross the network in clear text.
            throw new ArgumentException("The hub's address must be an absolute https URL (http only on loopback).", nameof(baseAddress));
        }

        _transport = new HubTransport(() => httpClient, baseAddress, apiKey: null);
    }

    /// <summary>Creates an account with a personal organization (the person is its owner) and logs in. Anonymous.</summary>
    /// <exception cref="HubValidationException">An invalid address, or a password the hub's policy refuses.</exception>
    /// <exception cref="HubConflictException">An account holds the address.</exception>
    public Task<AuthTokens> SignUpAsync(string email, string password, string? displayName = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(email);
        ArgumentException.ThrowIfNullOrEmpty(password);
        return _transport.SendAsync<AuthTokens>(HttpMethod.Post, SignUpPath, new SignUpBody(email, password, displayName), cancellationToken, Anonymous);
    }

    /// <summary>Logs in; the token speaks for <paramref name="organizationId"/> (one the person belongs to) or their personal organization. Anonymous.</summary>
    /// <exception cref="HubUnauthorizedException">The address or the password is wrong (the hub does not say which).</exception>
    /// <exception cref="HubRateLimitedException">Too many failed logins: <see cref="HubRateLimitedException.RetryAfter"/> says when to try again.</exception>
    public Task<AuthTokens> LoginAsync(string email, string password, string? organizationId = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(email);
        ArgumentException.ThrowIfNullOrEmpty(password);
        return _transport.SendAsync<AuthTokens>(HttpMethod.Post, LoginPath, new LoginBody(email, password, organizationId), cancellationToken, Anonymous);
    }

    /// <summary>
    /// Exchanges a refresh token for a new pair. Single use: the old refresh token stops working, and presenting it again ends
    /// the whole session (a stolen copy is caught). Anonymous.
    /// </summary>
    /// <exception cref="HubUnauthorizedException">The refresh token is unknown, used, expired or its session ended.</exception>
    public Task<AuthTokens> RefreshAsync(string refreshToken, string? organizationId = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(refreshToken);
        return _transport.SendAsync<AuthTokens>(HttpMethod.Post, RefreshPath, new RefreshBody(refreshToken, organizationId), cancellationToken, Anonymous);
    }

    /// <summary>Ends the session of <paramref name="refreshToken"/>. Succeeds whether or not the token was valid (RFC 7009 §2.2). Anonymous.</summary>
    public Task LogoutAsync(string refreshToken, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(refreshToken);
        return _transport.SendAsync(HttpMethod.Post, LogoutPath, new LogoutBody(refreshToken), cancellationToken, Anonymous);
    }

    /// <summary>
    /// Ends every session of the person: refresh tokens are refused at once, access tokens within the hub's session check
    /// interval. As the person. Returns how many sessions ended.
    /// </summary>
    public async Task<int> LogoutAllAsync(string accessToken, CancellationToken cancellationToken = default) =>
        (await _transport.SendAsync<SessionsEndedBody>(HttpMethod.Post, LogoutAllPath, null, cancellationToken, AsPerson(accessToken)).ConfigureAwait(false)).SessionsEnded;

    /// <summary>Changes the person's password; every session of theirs ends. As the person.</summary>
    /// <exception cref="HubValidationException">The current password is wrong, or the hub's policy refuses the new one.</exception>
    public Task ChangePasswordAsync(string accessToken, string currentPassword, string newPassword, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(currentPassword);
        ArgumentException.ThrowIfNullOrEmpty(newPassword);
        return _transport.SendAsync(HttpMethod.Post, PasswordPath, new ChangePasswordBody(currentPassword, newPassword), cancellationToken, AsPerson(accessToken));
    }

    /// <summary>The signed-in person, the organization their token speaks for, and all of theirs. As the person.</summary>
    /// <exception cref="HubUnauthorizedException">The access token is invalid, expired, or its session ended.</exception>
    public Task<CurrentUser> GetMeAsync(string accessToken, CancellationToken cancellationToken = default) =>
        _transport.SendAsync<CurrentUser>(HttpMethod.Get, MePath, null, cancellationToken, AsPerson(accessToken));

    /// <summary>
    /// Verifies an address with the token the hub mailed (or published in its <c>auth.email_verification_required</c> event).
    /// Anonymous. For a hub without <c>Auth:CallbackRedirectUrl</c>: with one, the hub answers browsers with a redirect instead
    /// and this method throws an <see cref="IntegrationsHubException"/> with status 302.
    /// </summary>
    /// <exception cref="HubValidationException">The token is invalid, used or expired.</exception>
    public Task<EmailVerification> VerifyEmailAsync(string token, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(token);
        return _transport.SendAsync<EmailVerification>(HttpMethod.Get, VerifyPath + "?type=signup&token=" + Uri.EscapeDataString(token), null, cancellationToken, Anonymous);
    }

    /// <summary>Asks for a password-reset mail. Succeeds the same whether or not an account holds the address. Anonymous.</summary>
    public Task RequestPasswordResetAsync(string email, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(email);
        return _transport.SendAsync(HttpMethod.Post, PasswordResetPath, new PasswordResetBody(email), cancellationToken, Anonymous);
    }

    /// <summary>Sets a new password with a reset token; every session of the person ends. Anonymous.</summary>
    /// <exception cref="HubValidationException">The token is invalid, used or expired, or the policy refuses the password.</exception>
    public Task ConfirmPasswordResetAsync(string token, string newPassword, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(token);
        ArgumentException.ThrowIfNullOrEmpty(newPassword);
        return _transport.SendAsync(HttpMethod.Post, PasswordResetPath + "/confirm", new PasswordResetConfirmBody(token, newPassword), cancellationToken, Anonymous);
    }

    /// <summary>The person's social connections. As the person.</summary>
    public async Task<IReadOnlyList<SocialConnection>> ListSocialConnectionsAsync(string accessToken, CancellationToken cancellationToken = default) =>
        (await _transport.SendAsync<SocialConnectionsBody>(HttpMethod.Get, SocialConnectionsPath, null, cancellationToken, AsPerson(accessToken)).ConfigureAwait(false)).Data;

    /// <summary>Removes the person's connection to <paramref name="provider"/>. As the person.</summary>
    /// <exception cref="HubNotFoundException">They have no connection to that provider.</exception>
    /// <exception cref="HubConflictException">It is their last way in (no password, no other connection).</exception>
    public Task DeleteSocialConnectionAsync(string accessToken, string provider, CancellationToken cancellationToken = default) =>
        _transport.SendAsync(HttpMethod.Delete, HubTransport.Path(SocialConnectionsPath + "/{0}", HubQuery.Required(provider)), null, cancellationToken, AsPerson(accessToken));

    /// <summary>
    /// Logs a person in from a profile the platform's app verified with the provider: the linked account, the account holding a
    /// provider-verified address, or a new one. As the platform: the API key must be one of <c>Auth:Platform</c>'s organization
    /// holding <c>auth:social-login</c>.
    /// </summary>
    /// <exception cref="HubForbiddenException">The API key is not the platform's, or lacks the scope.</exception>
    /// <exception cref="HubConflictException">An account holds the address and the provider did not verify it.</exception>
    public Task<AuthTokens> SocialLoginAsync(SocialProfile profile, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(profile);
        return _transport.SendAsync<AuthTokens>(HttpMethod.Post, SocialLoginPath, profile, cancellationToken);
    }

    /// <summary>No credential: an anonymous route must not receive the API key (nor would the hub look at it).</summary>
    internal static void Anonymous(HttpRequestMessage request) => request.Headers.Authorization = null;

    /// <summary>The person's access token in place of the API key.</summary>
    internal static Action<HttpRequestMessage> AsPerson(string accessToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(accessToken);
        return request => request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
    }

    private sealed record SignUpBody(string Email, string Password, string? DisplayName)
    {
        public override string ToString() => "SignUpBody { }";
    }

    private sealed record LoginBody(string Email, string Password, string? OrganizationId)
    {
        public override string ToString() => $"LoginBody {{ OrganizationId = {OrganizationId} }}";
    }

    private sealed record RefreshBody(string RefreshToken, string? OrganizationId)
    {
        public override string ToString() => $"RefreshBody {{ OrganizationId = {OrganizationId} }}";
    }

    private sealed record LogoutBody(string RefreshToken)
    {
        public override string ToString() => "LogoutBody { }";
    }

    private sealed record ChangePasswordBody(string CurrentPassword, string NewPassword)
    {
        public override string ToString() => "ChangePasswordBody { }";
    }

    private sealed record PasswordResetBody(string Email)
    {
        public override string ToString() => "PasswordResetBody { }";
    }

    private sealed record PasswordResetConfirmBody(string Token, string NewPassword)
    {
        public override string ToString() => "PasswordResetConfirmBody { }";
    }

    private sealed record SessionsEndedBody(int SessionsEnded);

    private sealed record SocialConnectionsBody(IReadOnlyList<SocialConnection> Data);
}
