using System.Collections.Concurrent;
using Integrations.Core.Connections.Proxy;
using Microsoft.Extensions.Options;

namespace Integrations.Core.Connections.Usage;

/// <summary>
/// What this instance has seen of each connection's use through the proxy: call and error counts per hour for the
/// last 24 hours, the upstream's last rate-limit headroom, the 401/403 rate, and the throttles that keep the hot path
/// cheap (<c>last_used_at</c> written at most once per interval, the test endpoint's per-minute limit).
/// </summary>
/// <remarks>
/// In memory, per instance, by design: counting in storage would add a write (or an ETag merge) to every proxied
/// call, which the proxy's overhead budget (≤ 2 ms p50) cannot pay. The counts are therefore this instance's since it
/// started, and the status endpoint says so (<c>last24h.scope = "instance"</c>). Memory is bounded by the number of
/// connections used (a few hundred bytes each).
/// </remarks>
public sealed class ConnectionUsage(IOptions<ConnectionUsageOptions> options)
{
    private const int Hours = 24;

    private readonly ConnectionUsageOptions _options = options.Value;
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>Counts one proxied call at <paramref name="now"/>; <paramref name="failed"/> counts it as an error too.</summary>
    public void RecordCall(string connectionId, bool failed, DateTimeOffset now)
    {
        var entry = EntryOf(connectionId);
        var hour = now.ToUnixTimeSeconds() / 3600;
        var slot = (int)(hour % Hours);
        lock (entry)
        {
            if (entry.HourOf[slot] != hour)
            {
                entry.HourOf[slot] = hour;
                entry.Calls[slot] = 0;
                entry.Errors[slot] = 0;
            }

            entry.Calls[slot]++;
            if (failed)
            {
                entry.Errors[slot]++;
            }
        }
    }

    /// <summary>Calls and errors in the 24 hours before <paramref name="now"/> (whole hours: the current one and the 23 before it).</summary>
    public (long Calls, long Errors) Last24Hours(string connectionId, DateTimeOffset now)
    {
        if (!_entries.TryGetValue(connectionId, out var entry))
        {
            return (0, 0);
        }

        var hour = now.ToUnixTimeSeconds() / 3600;
        long calls = 0, errors = 0;
        lock (entry)
        {
            for (var i = 0; i < Hours; i++)
            {
                if (entry.HourOf[i] > hour - Hours && entry.HourOf[i] <= hour)
                {
                    calls += entry.Calls[i];
                    errors += entry.Errors[i];
                }
            }
        }

        return (calls, errors);
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
    /// Counts a 401/403; true exactly once per window, when the count reaches
    /// <see cref="ConnectionUsageOptions.AuthErrorAlertThreshold"/>. Windows are fixed (aligned to the epoch).
    /// </summary>
    public bool RecordAuthError(string connectionId, DateTimeOffset now, out int count)
    {
        var entry = EntryOf(connectionId);
        var window = now.ToUnixTimeMilliseconds() / (long)_options.AuthErrorAlertWindow.TotalMilliseconds;
        lock (entry)
        {
            if (entry.AuthWindow != window)
            {
                entry.AuthWindow = window;
                entry.AuthErrors = 0;
                entry.AuthAlerted = false;
            }

            count = ++entry.AuthErrors;
            if (entry.AuthAlerted || count < _options.AuthErrorAlertThreshold)
            {
                return false;
            }

            entry.AuthAlerted = true;
            return true;
        }
    }

    /// <summary>
    /// Takes one of the connection's test slots (<see cref="ConnectionUsageOptions.TestsPerMinute"/> in any 60 s, all
    /// callers); false with how long until one frees when they are used up.
    /// </summary>
    public bool TryAcquireTest(string connectionId, DateTimeOffset now, out TimeSpan retryAfter)
    {
        var entry = EntryOf(connectionId);
        var window = TimeSpan.FromMinutes(1);
        lock (entry)
        {
            while (entry.Tests.Count > 0 && now - entry.Tests.Peek() >= window)
            {
                entry.Tests.Dequeue();
            }

            if (entry.Tests.Count >= _options.TestsPerMinute)
            {
                retryAfter = entry.Tests.Peek() + window - now;
                return false;
            }

            entry.Tests.Enqueue(now);
            retryAfter = TimeSpan.Zero;
            return true;
        }
    }

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

    private Entry EntryOf(string connectionId) => _entries.GetOrAdd(connectionId, static _ => new Entry());

    private sealed class Entry
    {
        public long[] HourOf { get; } = new long[Hours];

        public long[] Calls { get; } = new long[Hours];

        public long[] Errors { get; } = new long[Hours];

        public volatile RateLimitHeadroom? Headroom;

        public DateTimeOffset? LastUsedWrite { get; set; }

        public long AuthWindow { get; set; } = -1;

        public int AuthErrors { get; set; }

        public bool AuthAlerted { get; set; }

        public Queue<DateTimeOffset> Tests { get; } = new();

        public bool DeprecationHandled { get; set; }
    }
}
