namespace Integrations.Core.Identity.Users;

/// <summary>
/// A login: one refresh-token family. Every refresh token the session has ever had belongs to it; only
/// <see cref="CurrentTokenHash"/> may be used (once), <see cref="PreviousTokenHash"/> answers again for the grace window, and
/// any other token of the family revokes it (reuse detection). Stored as an authority row MAC'd over every field, so a
/// storage writer cannot un-revoke a session, extend it, or make an old token current again.
/// </summary>
/// <param name="Id">The session id (<c>ses_…</c>), the <c>sid</c> claim of its access tokens and the family id.</param>
/// <param name="UserId">Whose session it is.</param>
/// <param name="OrganizationId">The organization its access tokens speak for (a refresh may switch it).</param>
/// <param name="SecurityStamp">The user's <see cref="User.SecurityStamp"/> at login; a different stamp now ends the session.</param>
/// <param name="Source">Where the login came from (the caller's address), for the person's list of sessions.</param>
/// <param name="CreatedAt">Login time.</param>
/// <param name="LastRefreshedAt">The last rotation (the login time before any).</param>
/// <param name="ExpiresAt">The current refresh token is refused from then on (<c>Auth:RefreshTokenLifetime</c> after the last rotation).</param>
/// <param name="Generation">How many rotations the family has had; the current token is of this generation.</param>
/// <param name="CurrentTokenHash">The lookup hash of the one refresh token that may rotate.</param>
/// <param name="PreviousTokenHash">The lookup hash of the token the last rotation consumed.</param>
/// <param name="RotatedAt">When the last rotation happened: the grace window runs from here.</param>
/// <param name="SealedGrace">
/// The pair the last rotation issued (refresh token and access token), sealed (<c>EnvelopeCipher</c>) and bound to this user,
/// session, consumed token and generation, so a second use of <see cref="PreviousTokenHash"/> inside the grace window gets
/// the same pair. Never opened after the window.
/// </param>
/// <param name="RevokedAt">When the session ended (logout, logout everywhere, password change, reuse detected).</param>
/// <param name="RevokedReason">Why (<see cref="SessionRevocation"/>).</param>
public sealed record Session(
    string Id,
    string UserId,
    string OrganizationId,
    string SecurityStamp,
    string Source,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastRefreshedAt,
    DateTimeOffset ExpiresAt,
    int Generation,
    string CurrentTokenHash,
    string? PreviousTokenHash,
    DateTimeOffset? RotatedAt,
    byte[]? SealedGrace,
    DateTimeOffset? RevokedAt,
    string? RevokedReason)
{
    /// <summary>The id prefix (<c>ses_…</c>).</summary>
    public const string IdPrefix = "ses";

    /// <summary>The row's ETag as read; updates are conditional on it. Not part of the MAC.</summary>
    public string? ETag { get; init; }

    public override string ToString() =>
        $"Session {{ Id = {Id}, UserId = {UserId}, OrganizationId = {OrganizationId}, Generation = {Generation}, RevokedAt = {RevokedAt:O} }}";
}
