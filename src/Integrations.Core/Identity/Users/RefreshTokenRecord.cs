namespace Integrations.Core.Identity.Users;

/// <summary>
/// One refresh token of a session, as stored: its keyed lookup hash (<c>RefreshToken.LookupHash</c>), never the token. The
/// row is written once and never changed (an authority row, MAC'd): whether the token is still usable is decided by its
/// session (<see cref="Session.CurrentTokenHash"/>), so a refresh has exactly one conditional write.
/// </summary>
/// <param name="LookupHash">The token's lookup hash.</param>
/// <param name="UserId">The session's user.</param>
/// <param name="SessionId">The session (family) it belongs to.</param>
/// <param name="Generation">The session's generation the token was issued in.</param>
/// <param name="IssuedAt">When it was issued.</param>
public sealed record RefreshTokenRecord(string LookupHash, string UserId, string SessionId, int Generation, DateTimeOffset IssuedAt);
