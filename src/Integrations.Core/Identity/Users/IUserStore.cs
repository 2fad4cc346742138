using Integrations.Core.Common;
using Integrations.Core.Identity.Organizations;

namespace Integrations.Core.Identity.Users;

/// <summary>
/// Storage of users, their unique email claims and their sessions. A user and their sessions share one partition, so a
/// password change or "log out everywhere" updates the user and ends every session in one transaction. Rows are authority
/// rows: the store signs what it writes and refuses (reports, and treats as absent) a row whose MAC fails.
/// </summary>
public interface IUserStore
{
    /// <summary>
    /// Stores a new user and claims its <see cref="User.EmailLookupKey"/>. <see cref="WriteOutcome.Conflict"/> when another
    /// account holds the address (nothing is written then).
    /// </summary>
    Task<WriteOutcome> AddAsync(User user, CancellationToken cancellationToken = default);

    Task<User?> GetAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>The user holding the address with this lookup key, or null.</summary>
    Task<User?> FindByEmailAsync(string emailLookupKey, CancellationToken cancellationToken = default);

    /// <summary>Replaces the user row if it is unchanged since read (<see cref="User.ETag"/>). The email cannot change here.</summary>
    Task<WriteOutcome> UpdateAsync(User user, CancellationToken cancellationToken = default);

    Task AddSessionAsync(Session session, CancellationToken cancellationToken = default);

    Task<Session?> GetSessionAsync(string userId, string sessionId, CancellationToken cancellationToken = default);

    /// <summary>
    /// The user, one of their sessions and their memberships in one read (a refresh needs all three: the session to rotate,
    /// the user's security stamp, and the membership its access token speaks for). User and session are each null when
    /// absent or when the row does not verify; memberships whose row does not verify are left out (unordered).
    /// </summary>
    Task<(User? User, Session? Session, IReadOnlyList<Membership> Memberships)> GetWithSessionAsync(
        string userId, string sessionId, CancellationToken cancellationToken = default);

    /// <summary>Every session of the user (ended ones too), oldest first.</summary>
    Task<IReadOnlyList<Session>> ListSessionsAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>Replaces the session row if it is unchanged since read (<see cref="Session.ETag"/>).</summary>
    Task<WriteOutcome> UpdateSessionAsync(Session session, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces the user (when not null) and the sessions, each conditional on its ETag, atomically when they fit one
    /// transaction (up to 99 sessions with the user); beyond that the sessions go first in transactions of 100 and the user
    /// row last. <see cref="WriteOutcome.Conflict"/> when any row changed since read.
    /// </summary>
    Task<WriteOutcome> UpdateUserAndSessionsAsync(User? user, string userId, IReadOnlyList<Session> sessions, CancellationToken cancellationToken = default);

    /// <summary>
    /// Users whose email lookup key starts with <paramref name="emailPrefix"/> (all when null), ordered by that key, one page
    /// and the total. Reads every user row (a scan of the table's user rows): an admin's tool, not a hot path.
    /// </summary>
    Task<PagedList<User>> ListAsync(string? emailPrefix, PageRequest page, CancellationToken cancellationToken = default);

    /// <summary>
    /// Removes the user row, their sessions, every other row of their partition (a store may keep memberships' authority rows
    /// there) and their email claim. False when there was no such user.
    /// </summary>
    Task<bool> DeleteAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Removes, across all users, the session rows that expired or were revoked before <paramref name="endedBefore"/> (the
    /// cleanup job), each conditional on the row read: a session refreshed meanwhile stays. The number removed.
    /// </summary>
    Task<int> DeleteEndedSessionsAsync(DateTimeOffset endedBefore, CancellationToken cancellationToken = default);
}
