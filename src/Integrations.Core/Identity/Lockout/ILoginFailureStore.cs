namespace Integrations.Core.Identity.Lockout;

/// <summary>
/// Durable, shared lists of recent login failures (a sliding-window log per <see cref="LoginFailureKey"/>): every instance
/// reads and adds to the same lists, and each add is a conditional write, so concurrent failures on two instances are
/// both counted. Failures older than the window are dropped on every write and ignored on every read.
/// </summary>
public interface ILoginFailureStore
{
    /// <summary>At most this many failures are kept per key (the newest); every limit must be at most this.</summary>
    public const int MaxKept = 1000;

    /// <summary>The failures of <paramref name="key"/> less than <paramref name="window"/> before <paramref name="now"/>.</summary>
    Task<LoginFailures> ReadAsync(LoginFailureKey key, TimeSpan window, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>
    /// Adds a failure at <paramref name="now"/> and returns the failures in the window after it. When
    /// <paramref name="noticeAt"/> is set, the count after the add is at least it, and no notice was taken on this key in the
    /// last <paramref name="window"/>, the same write takes the notice (records <paramref name="now"/>) and the result says
    /// <see cref="LoginFailures.Noticed"/>: of concurrent adds on every instance, exactly one takes it.
    /// </summary>
    Task<LoginFailures> AddAsync(LoginFailureKey key, TimeSpan window, DateTimeOffset now, int? noticeAt = null, CancellationToken cancellationToken = default);

    /// <summary>Forgets the failures (and the notice) of <paramref name="key"/>.</summary>
    Task ClearAsync(LoginFailureKey key, CancellationToken cancellationToken = default);

    /// <summary>Forgets every list of <paramref name="account"/>: its account-wide list and the list of each source on it.</summary>
    Task ClearAccountAsync(string account, CancellationToken cancellationToken = default);
}
