namespace Integrations.Client.Auth;

/// <summary>
/// What sign-up, login, refresh and social login answer: a person's access token (<see cref="TokenType"/> <c>Bearer</c>, valid
/// <see cref="ExpiresIn"/> seconds) and the refresh token that replaces the one used (single use: keep only the newest).
/// <see cref="ToString"/> never shows either token.
/// </summary>
/// <param name="AccessToken">The access token (a JWT): the bearer credential of the person's calls.</param>
/// <param name="TokenType"><c>Bearer</c>.</param>
/// <param name="ExpiresIn">Seconds until the access token expires (2 h by default).</param>
/// <param name="RefreshToken">The refresh token: exchange it for a new pair with <see cref="AuthClient.RefreshAsync"/>, once.</param>
/// <param name="User">The person.</param>
/// <param name="OrganizationId">The organization the access token speaks for.</param>
/// <param name="Role">The person's role there: <c>owner</c>, <c>admin</c>, <c>member</c> or <c>viewer</c>.</param>
public sealed record AuthTokens(string AccessToken, string TokenType, long ExpiresIn, string RefreshToken, AuthUser User, string OrganizationId, string Role)
{
    /// <summary>The person and organization; never a token.</summary>
    public override string ToString() => $"AuthTokens {{ UserId = {User.Id}, OrganizationId = {OrganizationId}, Role = {Role}, ExpiresIn = {ExpiresIn} }}";
}

/// <summary>A person as the auth routes show them.</summary>
/// <param name="Id">The user id (<c>usr_…</c>).</param>
/// <param name="Email">The address.</param>
/// <param name="EmailVerified">Whether the address is verified.</param>
/// <param name="DisplayName">The display name.</param>
public sealed record AuthUser(string Id, string Email, bool EmailVerified, string DisplayName);

/// <summary>The signed-in person (<c>GET /v1/me</c>): who, the organization their token speaks for, and all of theirs.</summary>
/// <param name="Id">The user id.</param>
/// <param name="Email">The address.</param>
/// <param name="EmailVerified">Whether the address is verified.</param>
/// <param name="DisplayName">The display name.</param>
/// <param name="OrganizationId">The organization the token speaks for.</param>
/// <param name="Role">Their role there.</param>
/// <param name="Organizations">Every organization they belong to, with their role.</param>
public sealed record CurrentUser(
    string Id, string Email, bool EmailVerified, string DisplayName, string OrganizationId, string Role, IReadOnlyList<UserOrganization> Organizations);

/// <summary>An organization the person belongs to.</summary>
/// <param name="Id">The organization id.</param>
/// <param name="Role">Their role there.</param>
/// <param name="Personal">True for the personal organization made at sign-up.</param>
public sealed record UserOrganization(string Id, string Role, bool Personal);

/// <summary>The answer to an email verification.</summary>
/// <param name="Verified">True.</param>
/// <param name="UserId">Whose address was verified.</param>
public sealed record EmailVerification(bool Verified, string UserId);

/// <summary>One of the person's social connections (the provider's user id is never shown: the hub keeps only a keyed hash of it).</summary>
/// <param name="Provider"><c>google</c>, <c>github</c>, <c>apple</c> ….</param>
/// <param name="Email">The address the provider reported.</param>
/// <param name="LinkedAt">When it was linked.</param>
public sealed record SocialConnection(string Provider, string Email, DateTimeOffset LinkedAt);

/// <summary>
/// A profile the platform's own app verified with Google, GitHub or Apple, for <see cref="AuthClient.SocialLoginAsync"/>.
/// <see cref="ToString"/> leaves the provider's user id and the address out.
/// </summary>
/// <param name="Provider"><c>google</c>, <c>github</c> or <c>apple</c>.</param>
/// <param name="ProviderUserId">The provider's id of the person.</param>
/// <param name="Email">The address the provider reported.</param>
/// <param name="EmailVerified">Whether the provider verified the address (an existing account is linked only then).</param>
public sealed record SocialProfile(string Provider, string ProviderUserId, string Email, bool EmailVerified)
{
    /// <summary>A display name for a new account.</summary>
    public string? DisplayName { get; init; }

    /// <summary>An avatar URL.</summary>
    public string? AvatarUrl { get; init; }

    /// <summary>The organization the token should speak for (default: the personal one).</summary>
    public string? OrganizationId { get; init; }

    /// <summary>The provider only.</summary>
    public override string ToString() => $"SocialProfile {{ Provider = {Provider} }}";
}
