namespace Integrations.Core.OAuth.Tokens;

/// <summary>
/// The cross-tenant index the refresh-ahead job reads: which connections' tokens fall due, oldest first. Connections
/// are stored per project, so "every token due before t" cannot be one query over them; this index makes it one range
/// read. It is a hint, never the truth: the job re-reads each connection and skips (and removes) an entry whose
/// connection is gone or whose <c>NextRefreshAt</c> moved, so a lost or late index write costs at most one refresh-ahead.
/// </summary>
public interface IRefreshDueIndex
{
    /// <summary>Records <paramref name="entry"/>, and removes the entry of <paramref name="previousDueAt"/> (when given and different).</summary>
    Task ScheduleAsync(RefreshDue entry, DateTimeOffset? previousDueAt, CancellationToken cancellationToken = default);

    /// <summary>Removes <paramref name="entry"/>; removing an absent entry is not an error.</summary>
    Task RemoveAsync(RefreshDue entry, CancellationToken cancellationToken = default);

    /// <summary>Entries due before <paramref name="before"/>, oldest first, at most <paramref name="max"/>.</summary>
    IAsyncEnumerable<RefreshDue> ListDueAsync(DateTimeOffset before, int max, CancellationToken cancellationToken = default);
}
