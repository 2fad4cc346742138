using Integrations.Core.Audit;

namespace Integrations.Api.Pipeline;

/// <summary>
/// Keeps a flood of refusals (failed authentications from one address, 429s of one credential) from flooding the audit
/// log while losing none of them: within a one-minute window the first refusal from a source is recorded in full, the
/// rest are counted, and <see cref="RefusalAuditFlusher"/> writes one summary record with their count once the window
/// has passed. At most two records per source per minute, whatever the rate.
/// </summary>
public sealed class RepeatedRefusals(TimeProvider time)
{
    /// <summary>Past this many sources in one window, further sources share one summary (a flood from rotating addresses stays bounded).</summary>
    public const int MaxSources = 10_000;

    /// <summary>Past this many summaries waiting to be written (the audit log is slow or down), further ones are folded into one per action.</summary>
    public const int MaxPendingSummaries = 10_000;

    private const string OverflowSource = "(other sources)";
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private readonly Lock _gate = new();
    private readonly Dictionary<string, SourceWindow> _windows = new(StringComparer.Ordinal);
    private readonly Queue<AuditEvent> _summaries = new();
    private readonly Dictionary<string, AuditEvent> _folded = new(StringComparer.Ordinal);

    /// <summary>
    /// Counts a refusal from <paramref name="source"/>. True when it is a repeat (counted into the window's summary);
    /// false when it opens a window, and the caller records it in full.
    /// </summary>
    /// <param name="summary">The summary record to write for this source's repeats (its count is filled in at flush).</param>
    public bool IsRepeat(string source, AuditEvent summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (!_windows.ContainsKey(source) && _windows.Count >= MaxSources)
            {
                (source, summary) = (OverflowSource, summary with { SourceIp = null });
            }

            if (_windows.TryGetValue(source, out var window))
            {
                if (now - window.Start < Window)
                {
                    window.Repeats++;
                    return true;
                }

                Close(source, window);
            }

            _windows[source] = new SourceWindow(now, summary);
            return false;
        }
    }

    /// <summary>Moves windows that have ended (all of them, with <paramref name="all"/>) to the summaries to write.</summary>
    public IReadOnlyList<AuditEvent> TakeSummaries(bool all = false)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            foreach (var (source, window) in _windows.Where(w => all || now - w.Value.Start >= Window).ToList())
            {
                Close(source, window);
            }

            var taken = _summaries.Concat(_folded.Values).ToList();
            _summaries.Clear();
            _folded.Clear();
            return taken;
        }
    }

    /// <summary>Puts back summaries that could not be written, to try again at the next flush.</summary>
    public void Return(IEnumerable<AuditEvent> summaries)
    {
        lock (_gate)
        {
            foreach (var summary in summaries)
            {
                Enqueue(summary);
            }
        }
    }

    private void Close(string source, SourceWindow window)
    {
        _windows.Remove(source);
        if (window.Repeats > 0)
        {
            Enqueue(window.Summary with { Count = window.Repeats });
        }
    }

    // Bounded whatever the audit log does: past the cap, summaries of the same action add their counts into one.
    private void Enqueue(AuditEvent summary)
    {
        if (_summaries.Count < MaxPendingSummaries)
        {
            _summaries.Enqueue(summary);
            return;
        }

        _folded[summary.Action] = _folded.TryGetValue(summary.Action, out var folded)
            ? folded with { Count = folded.Count + summary.Count }
            : summary with { SourceIp = null, ActorId = OverflowSource };
    }

    private sealed class SourceWindow(DateTimeOffset start, AuditEvent summary)
    {
        public DateTimeOffset Start { get; } = start;

        public AuditEvent Summary { get; } = summary;

        public int Repeats { get; set; }
    }
}
