using System.Collections.Concurrent;
using Integrations.Core.Identity.Users;
using Microsoft.Extensions.Options;

namespace Integrations.Api.Identity;

/// <summary>
/// Whether an access token's session (<c>sid</c>) is still live, per instance: a session seen live is trusted for
/// <see cref="UserAuthenticationOptions.SessionCheckInterval"/> (≤ 30 s), then read again from the user store; a session seen
/// ended stays ended (it cannot come back). So logout, logout everywhere, password change and reuse detection — which all
/// write the session row (and the last three the user's security stamp) — stop the session's access tokens on every
/// instance within the interval, at the cost of one query of the user's partition per session per interval rather than per request.
/// </summary>
public sealed class SessionCheck(IUserStore users, IOptions<UserAuthenticationOptions> options, TimeProvider time)
{
    private const int MaxEntries = 50_000;
    private readonly ConcurrentDictionary<string, (bool Live, DateTimeOffset CheckedAt)> _sessions = new(StringComparer.Ordinal);

    /// <summary>
    /// True when the session is live. With <paramref name="allowStorageLookup"/> false (the address is being throttled) only
    /// what this instance already knows answers: a session it has not seen live within the interval is refused.
    /// </summary>
    public async ValueTask<bool> IsLiveAsync(string userId, string sessionId, bool allowStorageLookup, CancellationToken cancellationToken = default)
    {
        var key = userId + "/" + sessionId;
        var now = time.GetUtcNow();
        if (_sessions.TryGetValue(key, out var known) && (!known.Live || now - known.CheckedAt < options.Value.SessionCheckInterval))
        {
            return known.Live;
        }

        if (!allowStorageLookup)
        {
            return false;
        }

        var (user, session, _) = await users.GetWithSessionAsync(userId, sessionId, cancellationToken).ConfigureAwait(false);
        // The stamp check also catches a session row put back from before a logout everywhere or password change.
        var live = session is { RevokedAt: null } && user is not null && string.Equals(session.SecurityStamp, user.SecurityStamp, StringComparison.Ordinal);
        if (_sessions.Count >= MaxEntries)
        {
            _sessions.Clear();
        }

        _sessions[key] = (live, now);
        return live;
    }
}
