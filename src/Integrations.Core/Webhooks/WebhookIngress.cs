using System.Collections.Concurrent;
using Integrations.Core.Audit;
using Integrations.Core.Counters;
using Integrations.Core.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Integrations.Core.Webhooks;

/// <summary>
/// One delivery, from verification to the queue: verify with the source's scheme; refuse (counted, audited) or answer a
/// handshake; else store and enqueue the event <em>before</em> the provider gets its 2xx — exactly once, however many copies
/// arrive and whenever one of them crashes.
/// </summary>
/// <remarks>
/// <para>The event row is keyed by (source, provider event id) and is itself the idempotency key, in one of two states.
/// The copy whose insert wins holds it (<see cref="WebhookEventState.Received"/>, claimed now), enqueues, then marks it
/// <see cref="WebhookEventState.Enqueued"/>. A copy that finds it enqueued is a duplicate (200). A copy that finds it
/// received waits up to <see cref="WebhookOptions.DuplicateWait"/> for the holder to finish; when the claim is older than
/// <see cref="WebhookOptions.ClaimLease"/> (its holder crashed between store and enqueue) it takes the row over with an
/// ETag-conditional write and enqueues itself, so a crash never makes the provider's retry look like a duplicate. A holder
/// whose enqueue fails gives its claim up, so the retry takes over at once; the provider gets 503 and retries.</para>
/// <para>The one gap left is a crash after the enqueue and before the mark: a later copy then enqueues again. Queue
/// messages carry the event id (stable per delivery), by which consumers deduplicate.</para>
/// </remarks>
public sealed partial class WebhookIngress(
    IWebhookEventStore events,
    IWebhookEventPublisher queue,
    IWebhookSourceLookup sources,
    WebhookSchemeRegistry schemes,
    IHubCounters counters,
    AuditLog audit,
    IEnumerable<IReceivedWebhookHandler> handlers,
    IOptions<WebhookOptions> options,
    TimeProvider time,
    ILogger<WebhookIngress> logger)
{
    /// <summary>Past this many refusals of one source and kind in a minute, further ones are counted (stats) but not audited one by one.</summary>
    public const int MaxAuditedRefusalsPerMinute = 20;

    /// <summary>Storing and enqueueing run to their end even if the provider hangs up (a half-done delivery costs a retry), bounded by this.</summary>
    private static readonly TimeSpan StoreTimeout = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    private readonly IReceivedWebhookHandler[] _handlers = handlers.ToArray();
    private readonly ConcurrentDictionary<(string Source, WebhookRefusal Refusal), RefusalWindow> _refusalWindows = new();

    public WebhookOptions Options => options.Value;

    /// <summary>Verifies, stores and enqueues one delivery to <paramref name="resolved"/>. Never throws for storage failures: they are <see cref="WebhookIngressOutcome.Unavailable"/>.</summary>
    public async Task<WebhookIngressResult> ReceiveAsync(
        ResolvedWebhookSource resolved, WebhookRequest request, WebhookRequestOrigin origin, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(resolved);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(origin);
        var source = resolved.Source;
        if (schemes.Find(source.Scheme) is not { } scheme)
        {
            // A source of a scheme this build does not have: nothing is verified, and the provider retries until it has.
            Log.SchemeMissing(logger, source.Id, source.Scheme);
            return WebhookIngressResult.Unavailable("The source's signature scheme is not available.");
        }

        var keys = resolved.Keys.Where(k => k.IsActiveAt(request.ReceivedAt)).ToArray();
        WebhookVerification verification;
        // The span names the source and scheme and the outcome's code: never a header, the signature or the body.
        using (var activity = HubTelemetry.StartActivity("webhook verify"))
        {
            activity?.SetTag(HubTelemetry.Tags.OrganizationId, source.OrganizationId);
            activity?.SetTag(HubTelemetry.Tags.ProjectId, source.ProjectId);
            activity?.SetTag(HubTelemetry.Tags.Source, source.Id);
            activity?.SetTag("hub.webhook.scheme", source.Scheme);
            try
            {
                verification = scheme.Verify(request, keys, source.Settings);
            }
            catch (Exception ex)
            {
                // Schemes never throw for bad input; if one does, the delivery is refused, not answered with a 500.
                Log.SchemeFailed(logger, ex, source.Id, source.Scheme);
                verification = WebhookVerification.Refuse(WebhookRefusal.Malformed, "The delivery could not be read.");
            }

            var outcome = verification.Refusal is { } refused ? CodeOf(refused) : HubTelemetry.Outcomes.Verified;
            HubTelemetry.RecordWebhookVerification(source.Id, outcome);
            activity?.SetTag(HubTelemetry.Tags.Outcome, outcome);
            if (verification.Refusal is not null)
            {
                activity.Fail(outcome);
            }
        }

        if (verification.Refusal is { } refusal)
        {
            var reason = verification.Reason ?? refusal.ToString();
            counters.Increment(CounterKeyOf(source), WebhookCounters.For(refusal));
            await AuditRefusalAsync(source, refusal, reason, origin).ConfigureAwait(false);
            return WebhookIngressResult.Refuse(refusal, reason);
        }

        if (verification.Challenge is { } challenge)
        {
            if (verification.NewSigningSecret is { } secret && !await sources.StoreHandshakeSecretAsync(source, secret, cancellationToken).ConfigureAwait(false))
            {
                // Answering the handshake without keeping its secret would let the provider think it is set up while every
                // later delivery fails: refuse it instead, and the provider's setup retries.
                Log.HandshakeNotStored(logger, source.Id);
                return WebhookIngressResult.Unavailable("The handshake's secret could not be stored.");
            }

            return WebhookIngressResult.Answer(challenge);
        }

        var idempotencyKey = verification.EventId is { Length: > 0 } providerId ? "id:" + providerId : WebhookEventIds.BodyKey(request.Body.Span);
        var webhookEvent = new WebhookEvent(
            WebhookEventIds.For(source.Id, idempotencyKey), source.OrganizationId, source.ProjectId, source.Id, scheme.Name,
            verification.EventId is { Length: > 0 } ? verification.EventId : idempotencyKey, verification.EventType, request.ReceivedAt,
            WebhookStoredHeaders.Select(scheme.Name, source.Settings, request.Headers), request.Body.Length);

        using var timeout = new CancellationTokenSource(StoreTimeout, time);
        var result = await StoreAndEnqueueAsync(webhookEvent, request.Body, timeout.Token).ConfigureAwait(false);
        if (result.Outcome == WebhookIngressOutcome.Duplicate)
        {
            counters.Increment(CounterKeyOf(source), WebhookCounters.Duplicate);
        }
        else if (result.Outcome == WebhookIngressOutcome.Accepted)
        {
            counters.Increment(CounterKeyOf(source), WebhookCounters.Accepted);
            counters.RecordLatest(CounterKeyOf(source), WebhookCounters.LastAccepted, request.ReceivedAt);
        }

        return result;
    }

    /// <summary>Counts a body over <see cref="WebhookOptions.MaxBodyBytes"/> (the host refuses it before verification).</summary>
    public void CountOversized(WebhookSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        counters.Increment(CounterKeyOf(source), WebhookCounters.Oversized);
    }

    /// <summary>Runs every received-event handler; a failure is logged and never stops the others.</summary>
    public async Task RunHandlersAsync(WebhookEvent webhookEvent, ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(webhookEvent);
        foreach (var handler in _handlers)
        {
            try
            {
                await handler.HandleAsync(webhookEvent, body, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                Log.HandlerFailed(logger, ex, handler.GetType().Name, webhookEvent.Id);
            }
        }
    }

    /// <summary>Puts a stored event of the project back on its queue; null when the project has no such event. Storage failures throw.</summary>
    public async Task<StoredWebhookEvent?> ReplayAsync(string organizationId, string projectId, string eventId, CancellationToken cancellationToken = default)
    {
        var stored = await events.GetAsync(organizationId, projectId, eventId, cancellationToken).ConfigureAwait(false);
        if (stored is null)
        {
            return null;
        }

        await queue.EnqueueAsync(stored.Event, cancellationToken).ConfigureAwait(false);
        Log.Replayed(logger, stored.Event.Id, stored.Event.SourceId);
        return stored;
    }

    private async Task<WebhookIngressResult> StoreAndEnqueueAsync(WebhookEvent webhookEvent, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        WebhookEventSlot slot;
        try
        {
            slot = await events.AddAsync(webhookEvent, body, cancellationToken).ConfigureAwait(false);
            if (!slot.Added)
            {
                var settled = await SettleExistingAsync(slot, cancellationToken).ConfigureAwait(false);
                if (settled.Result is { } answer)
                {
                    return answer;
                }

                slot = settled.Owned!;
            }
        }
        catch (Exception ex)
        {
            Log.StoreFailed(logger, ex, webhookEvent.SourceId, webhookEvent.Id);
            return WebhookIngressResult.Unavailable("The event could not be stored.");
        }

        try
        {
            await queue.EnqueueAsync(slot.Event, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Log.EnqueueFailed(logger, ex, webhookEvent.SourceId, webhookEvent.Id);
            await ReleaseAsync(slot).ConfigureAwait(false);
            return WebhookIngressResult.Unavailable("The event could not be enqueued.");
        }

        try
        {
            if (!await events.TryMarkEnqueuedAsync(slot, cancellationToken).ConfigureAwait(false))
            {
                Log.MarkLost(logger, webhookEvent.SourceId, webhookEvent.Id);
            }
        }
        catch (Exception ex)
        {
            // The event is stored and on the queue: the provider need not retry. Only the duplicate check of a later copy
            // is weaker (after the lease it would enqueue again; consumers deduplicate by event id).
            Log.MarkFailed(logger, ex, webhookEvent.SourceId, webhookEvent.Id);
        }

        return WebhookIngressResult.Accepted(slot.Event);
    }

    /// <summary>Another copy stored the event first: a duplicate once it is enqueued, ours to finish if its holder is gone, else 503 after a short wait.</summary>
    private async Task<(WebhookIngressResult? Result, WebhookEventSlot? Owned)> SettleExistingAsync(WebhookEventSlot slot, CancellationToken cancellationToken)
    {
        var waitUntil = time.GetUtcNow() + options.Value.DuplicateWait;
        while (true)
        {
            if (slot.State == WebhookEventState.Enqueued)
            {
                return (WebhookIngressResult.Duplicate(slot.Event), null);
            }

            var now = time.GetUtcNow();
            if (now - slot.ClaimedAt >= options.Value.ClaimLease)
            {
                if (await events.TryClaimAsync(slot, now, cancellationToken).ConfigureAwait(false) is { } claimed)
                {
                    Log.TookOver(logger, slot.Event.SourceId, slot.Event.Id);
                    return (null, claimed);
                }
            }
            else if (now >= waitUntil)
            {
                return (WebhookIngressResult.Unavailable("An earlier copy of this event is still being stored; retry later."), null);
            }
            else
            {
                await Task.Delay(PollInterval, time, cancellationToken).ConfigureAwait(false);
            }

            slot = await events.GetSlotAsync(slot.Event.OrganizationId, slot.Event.ProjectId, slot.Event.Id, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException("The event row disappeared while its delivery was being settled.");
        }
    }

    private async Task ReleaseAsync(WebhookEventSlot slot)
    {
        try
        {
            await events.TryReleaseAsync(slot, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // The claim then runs out on its own (ClaimLease) and a later copy takes over.
            Log.ReleaseFailed(logger, ex, slot.Event.SourceId, slot.Event.Id);
        }
    }

    private async Task AuditRefusalAsync(WebhookSource source, WebhookRefusal refusal, string reason, WebhookRequestOrigin origin)
    {
        if (!MayAudit(source.Id, refusal))
        {
            return;
        }

        var status = StatusOf(refusal);
        var code = CodeOf(refusal);
        var actor = code + ": " + (reason.Length <= 200 ? reason : reason[..200]);
        var auditEvent = new AuditEvent(source.OrganizationId, source.ProjectId, AuditActions.WebhookRefused,
            status == 401 ? AuditOutcomes.Unauthenticated : AuditOutcomes.Invalid, status, "webhook", actor, "webhook-source/" + source.Id,
            origin.SourceAddress, origin.UserAgent is { Length: > 256 } agent ? agent[..256] : origin.UserAgent, origin.RequestId);
        using var timeout = new CancellationTokenSource(StoreTimeout, time);
        try
        {
            await audit.WriteAsync(auditEvent, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is AuditUnavailableException or OperationCanceledException)
        {
            // A refusal is refused whether or not its record lands; the counter has it either way.
            Log.RefusalNotAudited(logger, source.Id, code);
        }
    }

    // A forger hammering a public URL must not turn each request into an audit write: per source and kind, the first
    // MaxAuditedRefusalsPerMinute in a minute are recorded, the rest only counted (GET …/stats has the exact numbers).
    private bool MayAudit(string sourceId, WebhookRefusal refusal)
    {
        var now = time.GetUtcNow();
        var window = _refusalWindows.AddOrUpdate((sourceId, refusal), _ => new RefusalWindow(now, 1),
            (_, w) => now - w.Start >= TimeSpan.FromMinutes(1) ? new RefusalWindow(now, 1) : w with { Count = w.Count + 1 });
        if (_refusalWindows.Count > 10_000)
        {
            _refusalWindows.Clear();
        }

        return window.Count <= MaxAuditedRefusalsPerMinute;
    }

    /// <summary>401 for a signature or time that does not check out, 400 for a request that could not be checked.</summary>
    public static int StatusOf(WebhookRefusal refusal) => refusal is WebhookRefusal.BadSignature or WebhookRefusal.Stale ? 401 : 400;

    /// <summary>The refusal's stable code (problem code and audit wording).</summary>
    public static string CodeOf(WebhookRefusal refusal) => refusal switch
    {
        WebhookRefusal.BadSignature => "webhook-bad-signature",
        WebhookRefusal.Stale => "webhook-stale",
        WebhookRefusal.MissingHeader => "webhook-missing-header",
        WebhookRefusal.DuplicateHeader => "webhook-duplicate-header",
        _ => "webhook-malformed",
    };

    private static CounterKey CounterKeyOf(WebhookSource source) => new(source.OrganizationId, source.ProjectId, source.Id);

    private sealed record RefusalWindow(DateTimeOffset Start, int Count);

    private static partial class Log
    {
        [LoggerMessage(EventId = 9200, Level = LogLevel.Error, Message = "Webhook source {SourceId} uses scheme {Scheme}, which is not registered; deliveries get 503.")]
        public static partial void SchemeMissing(ILogger logger, string sourceId, string scheme);

        [LoggerMessage(EventId = 9201, Level = LogLevel.Error, Message = "Scheme {Scheme} threw verifying a delivery to source {SourceId}; refused as malformed.")]
        public static partial void SchemeFailed(ILogger logger, Exception exception, string sourceId, string scheme);

        [LoggerMessage(EventId = 9202, Level = LogLevel.Warning, Message = "The handshake secret of webhook source {SourceId} could not be stored; answered 503.")]
        public static partial void HandshakeNotStored(ILogger logger, string sourceId);

        [LoggerMessage(EventId = 9203, Level = LogLevel.Warning, Message = "Webhook event {EventId} of source {SourceId} could not be stored; answered 503.")]
        public static partial void StoreFailed(ILogger logger, Exception exception, string sourceId, string eventId);

        [LoggerMessage(EventId = 9204, Level = LogLevel.Warning, Message = "Webhook event {EventId} of source {SourceId} could not be enqueued; its claim is released and 503 answered.")]
        public static partial void EnqueueFailed(ILogger logger, Exception exception, string sourceId, string eventId);

        [LoggerMessage(EventId = 9205, Level = LogLevel.Warning, Message = "Webhook event {EventId} of source {SourceId} is enqueued but changed before it could be marked so.")]
        public static partial void MarkLost(ILogger logger, string sourceId, string eventId);

        [LoggerMessage(EventId = 9206, Level = LogLevel.Warning, Message = "Webhook event {EventId} of source {SourceId} is enqueued but could not be marked so; a copy after the lease would enqueue it again.")]
        public static partial void MarkFailed(ILogger logger, Exception exception, string sourceId, string eventId);

        [LoggerMessage(EventId = 9207, Level = LogLevel.Information, Message = "Webhook event {EventId} of source {SourceId} was taken over from a copy that held it past its lease.")]
        public static partial void TookOver(ILogger logger, string sourceId, string eventId);

        [LoggerMessage(EventId = 9208, Level = LogLevel.Warning, Message = "The claim on webhook event {EventId} of source {SourceId} could not be released; it runs out with its lease.")]
        public static partial void ReleaseFailed(ILogger logger, Exception exception, string sourceId, string eventId);

        [LoggerMessage(EventId = 9209, Level = LogLevel.Warning, Message = "A refused delivery to webhook source {SourceId} ({Code}) could not be audited.")]
        public static partial void RefusalNotAudited(ILogger logger, string sourceId, string code);

        [LoggerMessage(EventId = 9210, Level = LogLevel.Error, Message = "Received-webhook handler {Handler} failed on event {EventId}; the event stays stored and enqueued.")]
        public static partial void HandlerFailed(ILogger logger, Exception exception, string handler, string eventId);

        [LoggerMessage(EventId = 9211, Level = LogLevel.Information, Message = "Webhook event {EventId} of source {SourceId} was replayed onto its queue.")]
        public static partial void Replayed(ILogger logger, string eventId, string sourceId);
    }
}
