using Integrations.Core.Identity.Users;
using Microsoft.Extensions.Logging;

namespace Integrations.Api.Jobs;

/// <summary>
/// Deletes what people's sessions and invitations leave behind (<c>Auth:SessionCleanupSchedule</c>): tables have no TTL.
/// Removed: session rows that expired or were revoked more than <see cref="Margin"/> ago — a session row that is gone refuses
/// its access tokens like a revoked one, and its refresh tokens as unknown (there are no rows per refresh token: each names
/// its session) — and invitations that expired more than <see cref="Margin"/> ago (listed as expired until then).
/// </summary>
public sealed partial class CleanupUserSessionsJob(
    IUserStore users, Core.Identity.Invitations.IInvitationStore invitations, TimeProvider time, ILogger<CleanupUserSessionsJob> logger)
{
    /// <summary>How long an ended session or an expired invitation is kept for someone looking into an incident.</summary>
    public static readonly TimeSpan Margin = TimeSpan.FromDays(1);

    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var sessions = await users.DeleteEndedSessionsAsync(now - Margin, cancellationToken).ConfigureAwait(false);
        var expired = await invitations.DeleteExpiredAsync(now - Margin, cancellationToken).ConfigureAwait(false);
        Log.CleanedUp(logger, sessions, expired);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 9665, Level = LogLevel.Information, Message = "Session cleanup: {Sessions} ended session(s) and {Invitations} expired invitation(s) removed.")]
        public static partial void CleanedUp(ILogger logger, int sessions, int invitations);
    }
}
