namespace Integrations.Core.Identity.Lockout;

/// <summary>The failures of one <see cref="LoginFailureKey"/> still inside the window, oldest first.</summary>
/// <param name="Times">When each counted failure happened, ascending.</param>
/// <param name="Noticed">Whether the add that returned this took the lock notice (see <see cref="ILoginFailureStore.AddAsync"/>).</param>
public sealed record LoginFailures(IReadOnlyList<DateTimeOffset> Times, bool Noticed = false)
{
    public static LoginFailures None { get; } = new([]);

    public int Count => Times.Count;

    /// <summary>The most recent failure, or null when there is none.</summary>
    public DateTimeOffset? Newest => Times.Count == 0 ? null : Times[^1];

    /// <summary>
    /// How long until fewer than <paramref name="limit"/> failures are left in <paramref name="window"/>: until the failure
    /// that brought the count to the limit's excess leaves it (the oldest one when exactly <paramref name="limit"/> are
    /// counted). Null when fewer than the limit are counted now.
    /// </summary>
    public TimeSpan? ReleasedIn(int limit, TimeSpan window, DateTimeOffset now) =>
        Times.Count >= limit ? Times[Times.Count - limit] + window - now : null;
}
