using System.Collections.Concurrent;
using System.Globalization;
using Integrations.Core.Connections.Proxy;
using Integrations.Core.Counters;
using Integrations.Core.Events;
using Microsoft.Extensions.Options;

namespace Integrations.Core.Connections.Usage;

/// <summary>
/// A connection's use through the proxy and the test endpoint. Shared by every instance (through
/// <see cref="IHubCounters"/> and <see cref="IWindowLimiter"/>): call and error counts per hour, the 401/403 alert, the
/// test endpoint's limit. Per instance, in memory: the upstream's last rate-limit headroom and the throttles that keep
/// the hot path cheap (<c>last_used_at</c> written at most once per interval, the deprecation check).
/// </summary>
/// <remarks>
/// Counting a proxied call only touches memory (<see cref="HubCounters"/> buffers and flushes every
/// <c>Counters:FlushInterval</c>): a storage write per call is more than the proxy's overhead budget (≤ 2 ms p50). So
/// another instance's last interval may be missing from the counts a status read shows.
/// </remarks>
public sealed class ConnectionUsage(
    IHubCounters counters, IWindowLimiter limiter, EventWriter events, IOptions<ConnectionUsageOptions> options, IOptions<CounterOptions> counterOptions)
{
    /// <summary>Counter: calls through the proxy (per connection, <see cref="KeyOf"/>).</summary>
    public const string Calls = "calls";

    /// <summary>Counter: calls that failed (no answer, 5xx, 401, 403 or 429).</summary>
    public const string Errors = "errors";

    /// <summary>Counter of a connection's alert-window key: 401/403 answers in that window.</summary>
    public const string AuthErrors = "auth_errors";

    /// <summary>Counter of a connection's alert-window key: 5xx answers in that window.</summary>
    public const string ServerErrors = "server_errors";

    /// <summary>The limiter slot of <c>POST …/test</c>.</summary>
    public const string Tests = "tests";

    private static readonly TimeSpan TestWindow = TimeSpan.FromMinutes(1);

    private readonly ConnectionUsageOptions _options = options.Value;
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>The counter key of <paramref name="connection"/>'s calls and errors.</summary>
    public static CounterKey KeyOf(Connection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return new(connection.OrganizationId, connection.ProjectId, connection.Id);
    }

    /// <summary>Counts one proxied call; <paramref name="failed"/> counts it as an error too. Memory only.</summary>
    public void RecordCall(Connection connection, bool failed)
    {
        var key = KeyOf(connection);
        counters.Increment(key, Calls);
        if (failed)
        {
            counters.Increment(key, Errors);
        }
    }

    /// <summary>Calls and errors, all instances, in the 24 hours before <paramref name="now"/> (whole hours: the current one and the 23 before it).</summary>
    public async Task<(long Calls, long Errors)> Last24HoursAsync(Connection connection, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var totals = await counters.ReadAsync(KeyOf(connection), now - TimeSpan.FromHours(23), cancellationToken).ConfigureAwait(false);
        return (totals.Count(Calls), totals.Count(Errors));
    }

    /// <summary>Keeps the headroom the upstream's last response stated (a response without rate-limit headers keeps the previous one).</summary>
    public void RecordHeadroom(string connectionId, RateLimitHeadroom headroom) => EntryOf(connectionId).Headroom = headroom;

    public RateLimitHeadroom? Headroom(string connectionId) => _entries.TryGetValue(connectionId, out var entry) ? entry.Headroom : null;

    /// <summary>True when <c>last_used_at</c> is due for a write (the first use, then once per <see cref="ConnectionUsageOptions.LastUsedWriteInterval"/>).</summary>
    public bool TryClaimLastUsedWrite(string connectionId, DateTimeOffset now)
    {
        var entry = EntryOf(connectionId);
        lock (entry)
        {
            if (entry.LastUsedWrite is { } last && now - last < _options.LastUsedWriteInterval)
            {
                return false;
            }

            entry.LastUsedWrite = now;
            return true;
        }
    }

    /// <summary>
    /// Counts a 401/403 for every instance to see, and raises <c>connection.auth_errors_spike</c> when the window's count
    /// across instances reaches <see cref="ConnectionUsageOptions.AuthErrorAlertThreshold"/>. Returns the count when this
    /// call raised it, else null.
    /// </summary>
    /// <remarks>
    /// Windows are fixed (aligned to the epoch); each has its own counter key (<c>{connection id}.auth_errors.{window}</c>),
    /// so its count is one partition read. This instance's own count decides without storage; the other instances' are
    /// read at most once per <c>Counters:FlushInterval</c> (they change no faster), and only on a 401/403. The event's id
    /// is derived from the connection and the window (<see cref="DeterministicEventIds"/>): a second instance that crosses
    /// the threshold in the same window appends the same id, which the outbox keeps once — one alert per window.
    /// </remarks>
    public Task<int?> RecordAuthErrorAsync(Connection connection, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        RecordSpikeAsync(connection, now, AuthErrorSpike, cancellationToken);

    /// <summary>
    /// Counts a 5xx answer through the proxy and raises <c>connection.server_errors_spike</c> when the window's count across
    /// instances reaches <see cref="ConnectionUsageOptions.ServerErrorAlertThreshold"/>: the same fixed windows, shared counts
    /// and one-per-window event id as <see cref="RecordAuthErrorAsync"/>. Returns the count when this call raised it, else null.
    /// </summary>
    public Task<int?> RecordServerErrorAsync(Connection connection, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        RecordSpikeAsync(connection, now, ServerErrorSpike, cancellationToken);

    private SpikeKind AuthErrorSpike => new(AuthErrors, HubEventTypes.ConnectionAuthErrorsSpike, _options.AuthErrorAlertThreshold, _options.AuthErrorAlertWindow, e => e.Auth);

    private SpikeKind ServerErrorSpike =>
        new(ServerErrors, HubEventTypes.ConnectionServerErrorsSpike, _options.ServerErrorAlertThreshold, _options.ServerErrorAlertWindow, e => e.Server);

    private async Task<int?> RecordSpikeAsync(Connection connection, DateTimeOffset now, SpikeKind kind, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var windowLength = (long)kind.Window.TotalMilliseconds;
        var window = now.ToUnixTimeMilliseconds() / windowLength;
        var windowStart = DateTimeOffset.FromUnixTimeMilliseconds(window * windowLength);
        var key = new CounterKey(connection.OrganizationId, connection.ProjectId, connection.Id + "." + kind.Counter + "." + window.ToString(CultureInfo.InvariantCulture));
        counters.Increment(key, kind.Counter);

        var entry = kind.StateOf(EntryOf(connection.Id));
        long count;
        bool read;
        lock (entry)
        {
            if (entry.Window != window)
            {
                entry.Window = window;
                entry.Count = 0;
                entry.Alerted = false;
                entry.CheckedAt = null;
            }

            count = ++entry.Count;
            if (entry.Alerted)
            {
                return null;
            }

            read = count < kind.Threshold
                && (entry.CheckedAt is not { } checkedAt || now - checkedAt >= counterOptions.Value.FlushInterval);
            if (read)
            {
                entry.CheckedAt = now;
            }
        }

        if (read)
        {
            count = Math.Max(count, (await counters.ReadAsync(key, windowStart, cancellationToken).ConfigureAwait(false)).Count(kind.Counter));
        }

        if (count < kind.Threshold)
        {
            return null;
        }

        lock (entry)
        {
            if (entry.Alerted || entry.Window != window)
            {
                return null;
            }

            entry.Alerted = true;
        }

        var alert = events.Create(connection.OrganizationId, connection.ProjectId, kind.EventType, "connection/" + connection.Id,
            new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["connection_id"] = connection.Id,
                ["name"] = connection.Name,
                ["count"] = count.ToString(CultureInfo.InvariantCulture),
                ["window_start"] = windowStart.ToString("O", CultureInfo.InvariantCulture),
                ["window_seconds"] = ((long)kind.Window.TotalSeconds).ToString(CultureInfo.InvariantCulture),
            });
        await events.AppendAsync(DeterministicEventIds.WithIdFor(alert, kind.EventType, connection.OrganizationId, connection.ProjectId,
            connection.Id, window.ToString(CultureInfo.InvariantCulture), windowLength.ToString(CultureInfo.InvariantCulture)), cancellationToken).ConfigureAwait(false);
        return (int)Math.Min(count, int.MaxValue);
    }

    /// <summary>
    /// Takes one of the connection's test slots (<see cref="ConnectionUsageOptions.TestsPerMinute"/> in any 60 s, all
    /// callers, all instances); not taken, with how long until one frees, when they are used up. A storage read and write:
    /// the test endpoint is rare.
    /// </summary>
    public Task<WindowTake> TryAcquireTestAsync(Connection connection, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        limiter.TryTakeAsync(KeyOf(connection), Tests, _options.TestsPerMinute, TestWindow, now, cancellationToken);

    /// <summary>True the first time this instance handles a deprecation notice for the connection (the durable flag is on its state).</summary>
    public bool TryClaimDeprecationCheck(string connectionId)
    {
        var entry = EntryOf(connectionId);
        lock (entry)
        {
            if (entry.DeprecationHandled)
            {
                return false;
            }

            entry.DeprecationHandled = true;
            return true;
        }
    }

    /// <summary>An alert that counts one kind of answer per connection in fixed windows.</summary>
    private sealed record SpikeKind(string Counter, string EventType, int Threshold, TimeSpan Window, Func<Entry, SpikeState> StateOf);

    /// <summary>This instance's count in one connection's current window of one <see cref="SpikeKind"/> (locked on itself).</summary>
    private sealed class SpikeState
    {
        public long Window { get; set; } = -1;

        public long Count { get; set; }

        public bool Alerted { get; set; }

        /// <summary>When this instance last read the window's count across instances.</summary>
        public DateTimeOffset? CheckedAt { get; set; }
    }

    private Entry EntryOf(string connectionId) => _entries.GetOrAdd(connectionId, static _ => new Entry());

    private sealed class Entry
    {
        public volatile RateLimitHeadroom? Headroom;

        public DateTimeOffset? LastUsedWrite { get; set; }

        /// <summary>This instance's 401/403 window.</summary>
        public SpikeState Auth { get; } = new();

        /// <summary>This instance's 5xx window.</summary>
        public SpikeState Server { get; } = new();

        public bool DeprecationHandled { get; set; }
    }
}
