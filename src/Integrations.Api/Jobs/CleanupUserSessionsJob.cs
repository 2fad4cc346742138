using Integrations.Core.Identity.Tokens;
using Integrations.Core.Identity.Users;
using Microsoft.Extensions.Logging;

namespace Integrations.Api.Jobs;

/// <summary>
/// Deletes what people's sessions and invitations leave behind (<c>Auth:SessionCleanupSchedule</c>): tables have no TTL.
/// Removed: session rows that expired or were revoked more than <see cref="Margin"/> ago — a session row that is gone refuses
/// its access tokens like a revoked one, and its refresh tokens as unknown (there are no rows per refresh token: each names
/// its session) — invitations that expired more than <see cref="Margin"/> ago (listed as expired until then), and the rows
/// of access-token signing keys whose last token expired more than <see cref="Margin"/> ago (no longer published or accepted
/// since; <see cref="AccessTokenKeyLifecycle.DeleteExpiredAsync"/>).
/// </summary>
public sealed partial class CleanupUserSessionsJob(
    IUserStore users, Core.Identity.Invitations.IInvitationStore invitations, AccessTokenKeyLifecycle signingKeys, TimeProvider time,
    ILogger<CleanupUserSessionsJob> logger)
{
    /// <summary>How long an ended session, an expired invitation or a retired signing key is kept for someone looking into an incident.</summary>
    public static readonly TimeSpan Margin = TimeSpan.FromDays(1);

    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var sessions = await users.DeleteEndedSessionsAsync(now - Margin, cancellationToken).ConfigureAwait(false);
        var expired = await invitations.DeleteExpiredAsync(now - Margin, cancellationToken).ConfigureAwait(false);
        var keys = await signingKeys.DeleteExpiredAsync(now - Margin, cancellationToken).ConfigureAwait(false);
        Log.CleanedUp(logger, sessions, expired, keys);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 9665, Level = LogLevel.Information,
            Message = "Session cleanup: {Sessions} ended session(s), {Invitations} expired invitation(s) and {SigningKeys} expired signing key(s) removed.")]
        public static partial void CleanedUp(ILogger logger, int sessions, int invitations, int signingKeys);
    }
}
