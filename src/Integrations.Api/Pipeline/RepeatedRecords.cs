using Integrations.Core.Audit;

namespace Integrations.Api.Pipeline;

/// <summary>
/// Keeps a flood of like records from flooding the audit log while losing none of them: within a one-minute window the
/// first from a source is recorded in full, the rest are counted, and <see cref="RepeatedRecordFlusher"/> writes one
/// summary record with their count once the window has passed. At most two records per source per minute, whatever the
/// rate. Two kinds of flood go through it: refusals (failed authentications from one address, 429s of one credential),
/// and the successful data-plane sends of one credential in one project (<see cref="IsRepeatWithinTenant"/>), whose own
/// rows name who sent each (<see cref="Routing.ApiRoute.StoresItsActor"/>).
/// </summary>
public sealed class RepeatedRecords(TimeProvider time)
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
    public bool IsRepeat(string source, AuditEvent summary) => Count(source, summary, overflowShared: true);

    /// <summary>
    /// As <see cref="IsRepeat"/>, for records of one tenant (<paramref name="summary"/> names its organization and project):
    /// past <see cref="MaxSources"/> windows a new source is not folded into a shared one — whose summary would land in one
    /// tenant's log with another's count — but answered false, and the caller records it in full.
    /// </summary>
    public bool IsRepeatWithinTenant(string source, AuditEvent summary) => Count(source, summary, overflowShared: false);

    private bool Count(string source, AuditEvent summary, bool overflowShared)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (!_windows.ContainsKey(source) && _windows.Count >= MaxSources)
            {
                if (!overflowShared)
                {
                    return false;
                }

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

    // Bounded whatever the audit log does: past the cap, summaries of the same action in the same log (organization and
    // project, so no tenant's log counts another's) add their counts into one.
    private void Enqueue(AuditEvent summary)
    {
        if (_summaries.Count < MaxPendingSummaries)
        {
            _summaries.Enqueue(summary);
            return;
        }

        var fold = summary.Action + "|" + summary.OrganizationId + "|" + summary.ProjectId;
        _folded[fold] = _folded.TryGetValue(fold, out var folded)
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
