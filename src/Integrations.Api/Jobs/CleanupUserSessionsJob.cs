using Integrations.Core.Identity.Users;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Integrations.Api.Jobs;

/// <summary>
/// Deletes what people's sessions leave behind (<c>Auth:SessionCleanupSchedule</c>): tables have no TTL, and every refresh
/// writes a token row. Removed: refresh-token rows issued more than <c>Auth:RefreshTokenLifetime</c> + <see cref="Margin"/>
/// ago — no such token can still be a session's current one, since a rotation issues the token and sets the session's
/// expiry at the same moment — and session rows that expired or were revoked more than <see cref="Margin"/> ago. A session
/// row that is gone refuses its access tokens like a revoked one.
/// </summary>
/// <remarks>
/// The price: an old refresh token used again after its row is gone is refused as unknown rather than ending its session as
/// reuse. Its session has since rotated at least a lifetime ago or ended, so the copy cannot be used either way.
/// </remarks>
public sealed partial class CleanupUserSessionsJob(
    IRefreshTokenStore refreshTokens, IUserStore users, IOptions<UserSessionOptions> options, TimeProvider time, ILogger<CleanupUserSessionsJob> logger)
{
    /// <summary>How long an ended session, or a token past its lifetime, is kept for someone looking into an incident.</summary>
    public static readonly TimeSpan Margin = TimeSpan.FromDays(1);

    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var tokens = await refreshTokens.DeleteIssuedBeforeAsync(now - options.Value.RefreshTokenLifetime - Margin, cancellationToken).ConfigureAwait(false);
        var sessions = await users.DeleteEndedSessionsAsync(now - Margin, cancellationToken).ConfigureAwait(false);
        Log.CleanedUp(logger, tokens, sessions);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 9665, Level = LogLevel.Information, Message = "Session cleanup: {RefreshTokens} refresh-token row(s) past their lifetime and {Sessions} ended session(s) removed.")]
        public static partial void CleanedUp(ILogger logger, int refreshTokens, int sessions);
    }
}
