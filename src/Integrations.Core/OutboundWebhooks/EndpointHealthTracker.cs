using System.Collections.Concurrent;
using System.Globalization;
using Integrations.Core.Counters;
using Integrations.Core.Webhooks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Integrations.Core.OutboundWebhooks;

/// <summary>
/// The 5-day rule: an endpoint whose deliveries have all failed for <c>Webhooks:EndpointDisableAfter</c> is disabled
/// (<see cref="IWebhookEndpointDirectory.DisableAsync"/>, which appends the <c>endpoint.disabled</c> event).
/// </summary>
/// <remarks>
/// <para>The health lives in the endpoint's durable counters (<see cref="OutboundWebhookCounters"/>): a success records
/// <c>last_success_at</c>, the first failure of a run records <c>failing_since</c>. Both are <see cref="IHubCounters.RecordLatest"/>,
/// which costs no storage call (the counters flush in the background), so a success — the hot path — adds nothing.</para>
/// <para>Each instance keeps what it knows per endpoint in memory and re-reads the counters (one partition query) at most every
/// <see cref="RefreshInterval"/> per endpoint, and only on failures; it reads once more before it disables, so a success on
/// another instance, flushed since, prevents it. Another instance's unflushed success can be missed only when this instance
/// would disable within the counters' flush interval of it; the run of failures is <c>EndpointDisableAfter</c> long by then.</para>
/// <para>A run older than the read window (<c>EndpointDisableAfter</c> + 1 hour, bounded by <c>Counters:Retention</c>) and no
/// failure since — no messages for days — starts a new run: the rule errs on the side of keeping an endpoint.</para>
/// </remarks>
public sealed partial class EndpointHealthTracker(
    IHubCounters counters, IWebhookEndpointDirectory directory, IOptions<WebhookOptions> options, TimeProvider time, ILogger<EndpointHealthTracker> logger)
{
    /// <summary>How long an instance trusts what it knows of an endpoint's run before it reads the counters again.</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<(string Organization, string Project, string Endpoint), State> _states = new();

    /// <summary>Records a 2xx: the endpoint's run of failures, if any, is over.</summary>
    public void RecordSuccess(string organizationId, string projectId, string endpointId)
    {
        var now = time.GetUtcNow();
        counters.RecordLatest(OutboundWebhookCounters.KeyOf(organizationId, projectId, endpointId), OutboundWebhookCounters.LastSuccess, now);
        var state = _states.GetOrAdd((organizationId, projectId, endpointId), static _ => new State());
        lock (state)
        {
            state.LastSuccess = Max(state.LastSuccess, now);
            state.FailingSince = null;
        }
    }

    /// <summary>
    /// Records a failed attempt; when the endpoint has failed for <c>Webhooks:EndpointDisableAfter</c> without a success, disables
    /// it and returns the reason. Null when the endpoint stays as it is.
    /// </summary>
    public async Task<string?> RecordFailureAsync(string organizationId, string projectId, string endpointId, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var key = OutboundWebhookCounters.KeyOf(organizationId, projectId, endpointId);
        counters.RecordLatest(key, OutboundWebhookCounters.LastFailure, now);
        var state = _states.GetOrAdd((organizationId, projectId, endpointId), static _ => new State());
        bool refresh;
        lock (state)
        {
            refresh = state.RefreshedAt is not { } at || now - at >= RefreshInterval;
            if (refresh)
            {
                // Claimed before the read, so concurrent failures do not all read.
                state.RefreshedAt = now;
            }
        }

        if (refresh)
        {
            await RefreshAsync(key, state, now, cancellationToken).ConfigureAwait(false);
        }

        var disableAfter = options.Value.EndpointDisableAfter;
        DateTimeOffset since;
        lock (state)
        {
            if (state.FailingSince is null)
            {
                state.FailingSince = now;
                counters.RecordLatest(key, OutboundWebhookCounters.FailingSince, now);
            }

            since = state.FailingSince.Value;
        }

        if (now - since < disableAfter)
        {
            return null;
        }

        // About to disable: read once more, so a success another instance has flushed since counts.
        await RefreshAsync(key, state, now, cancellationToken).ConfigureAwait(false);
        lock (state)
        {
            if (state.FailingSince is not { } confirmed || now - confirmed < disableAfter)
            {
                return null;
            }

            // This run is acted on; the endpoint is disabled (or already was), so its deliveries stop coming here.
            state.FailingSince = null;
            state.RefreshedAt = null;
        }

        var reason = string.Create(CultureInfo.InvariantCulture, $"Every delivery failed for {Describe(disableAfter)} without a success (since {since:O}).");
        var disabled = await directory.DisableAsync(organizationId, projectId, endpointId, reason, cancellationToken).ConfigureAwait(false);
        Log.Disabled(logger, endpointId, since, disabled);
        return reason;
    }

    private async Task RefreshAsync(CounterKey key, State state, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var totals = await counters.ReadAsync(key, now - options.Value.EndpointDisableAfter - TimeSpan.FromHours(1), cancellationToken).ConfigureAwait(false);
        var durableSuccess = totals.LatestOf(OutboundWebhookCounters.LastSuccess);
        var durableRun = totals.LatestOf(OutboundWebhookCounters.FailingSince);
        lock (state)
        {
            state.LastSuccess = Max(state.LastSuccess, durableSuccess);
            state.RefreshedAt = now;
            // The run is the earliest start known here that is later than the last success.
            DateTimeOffset? run = null;
            foreach (var candidate in (ReadOnlySpan<DateTimeOffset?>)[state.FailingSince, durableRun])
            {
                if (candidate is { } start && (state.LastSuccess is not { } success || start > success) && (run is null || start < run))
                {
                    run = start;
                }
            }

            state.FailingSince = run;
        }
    }

    private static DateTimeOffset? Max(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;

    private static string Describe(TimeSpan span) =>
        span.Ticks % TimeSpan.TicksPerDay == 0 ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalDays:0} days")
        : span.Ticks % TimeSpan.TicksPerHour == 0 ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalHours:0} hours")
        : string.Create(CultureInfo.InvariantCulture, $"{span.TotalMinutes:0.#} minutes");

    private sealed class State
    {
        public DateTimeOffset? LastSuccess { get; set; }

        public DateTimeOffset? FailingSince { get; set; }

        public DateTimeOffset? RefreshedAt { get; set; }
    }

    // Event ids 9400-9409: endpoint health. Ids only.
    private static partial class Log
    {
        [LoggerMessage(EventId = 9400, Level = LogLevel.Warning, Message = "Webhook endpoint {EndpointId} has failed every delivery since {Since:O}; disabling it (it was enabled: {Disabled}).")]
        public static partial void Disabled(ILogger logger, string endpointId, DateTimeOffset since, bool disabled);
    }
}
