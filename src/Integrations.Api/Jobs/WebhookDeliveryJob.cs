using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Integrations.Core.Common;
using Integrations.Core.Connections.Proxy;
using Integrations.Core.Counters;
using Integrations.Core.OutboundWebhooks;
using Integrations.Core.Telemetry;
using Microsoft.Extensions.Logging;

namespace Integrations.Api.Jobs;

/// <summary>
/// Makes one attempt of one outbound webhook delivery per <see cref="DeliveryTicket"/>: signs it (Standard Webhooks), POSTs it
/// through <see cref="IProxyTransport"/> (SSRF guard at connect time, the endpoint's timeout, one attempt, no redirects
/// followed), records the attempt, and on a failure queues the next attempt with its delay as the message's visibility — the
/// retry waits in the queue, not in a process.
/// </summary>
/// <remarks>
/// <para><b>The hot path</b> (a first attempt that gets a 2xx) is: the endpoint from the directory's cache, the POST, one
/// unconditional write (<see cref="IWebhookDeliveryStore.RecordAttemptAsync"/>), and the runner deletes the queue message. A 2xx
/// is a fact whatever the row says, so that write needs no read.</para>
/// <para><b>Strays.</b> A ticket is a stray when its attempt is no longer the delivery's next one: a copy of a retry ticket
/// enqueued by an attempt whose record then lost to another, a retry superseded by a replay, a redelivered queue message whose
/// attempt was recorded before the process died. Every ticket other than a first attempt reads the delivery before it sends
/// (retries are the rare path) and does nothing unless the row's attempts are the ticket's attempt − 1 and either the row is
/// <see cref="DeliveryState.Retrying"/> with <see cref="WebhookDelivery.NextAttemptAt"/> equal to the ticket's
/// <see cref="DeliveryTicket.NotBefore"/> (the job writes both from one value), or the ticket has none and the row is
/// <see cref="DeliveryState.Pending"/> (a replay). A first attempt that fails reads the row after its POST with the same rule.
/// Every failure record is conditional on the ETag read, so of two copies that raced only one continues the series; the
/// other's next ticket is a stray by the rule above. A duplicated first-attempt ticket can reach the receiver twice — at least
/// once, never at most once: receivers deduplicate by <c>webhook-id</c>.</para>
/// <para><b>Crashes.</b> On a failure the next ticket is queued first and the attempt recorded second: a process that dies
/// between the two leaves the current queue message (redelivered, it repeats the attempt, and the orphaned next ticket is a
/// stray) or, after the record, the next ticket. A delivery is marked delivered only after the receiver's 2xx.</para>
/// </remarks>
public sealed partial class WebhookDeliveryJob(
    IWebhookEndpointDirectory directory,
    IWebhookDeliveryStore deliveries,
    IOutboundMessageStore messages,
    IProxyTransport transport,
    IWindowLimiter limiter,
    IJobDispatcher jobs,
    IHubCounters counters,
    DeliveryRetryPlanner planner,
    EndpointHealthTracker health,
    TimeProvider time,
    ILogger<WebhookDeliveryJob> logger) : IQueueJobHandler, IDisposable
{
    /// <summary>
    /// Lanes for rate-limited endpoints, an endpoint's lane chosen by its key's hash: an instance sends to a rate-limited
    /// endpoint one request at a time (the slot taken just before the send), so the receiver sees the limiter's spacing,
    /// not a burst of concurrently prepared requests landing together. Unlimited endpoints run as concurrently as the queue.
    /// </summary>
    private readonly SemaphoreSlim[] _lanes = [.. Enumerable.Range(0, 64).Select(_ => new SemaphoreSlim(1, 1))];

    /// <summary>The limiter slot of an endpoint's deliveries (<see cref="WebhookEndpoint.RateLimitPerSecond"/>).</summary>
    public const string RateLimitName = "webhook_delivery";

    /// <summary>The most a rate limit can be held to across instances (the window limiter's row holds one time per slot).</summary>
    public const int MaxRateLimitPerSecond = 1000;

    private const int MaxUpdateAttempts = 3;

    private static readonly TimeSpan RateWindow = TimeSpan.FromSeconds(1);

    private static readonly JsonSerializerOptions Json = JsonSerializerOptions.Web;

    /// <summary>How long after its due time a ticket waits for the attempt before it to be recorded (see <see cref="IsAwaitingItsRecord"/>).</summary>
    public static readonly TimeSpan RecordGrace = TimeSpan.FromMinutes(5);

    /// <summary>How long such a ticket waits before it looks again.</summary>
    private static readonly TimeSpan RecordWait = TimeSpan.FromSeconds(2);

    /// <summary>The reason a delivery fails with when its endpoint answered 410 Gone.</summary>
    public const string GoneReason = "The endpoint answered 410 Gone; it is disabled.";

    public async Task<QueueJobOutcome> RunAsync(QueueJobMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (Parse(message.Body) is not { } ticket)
        {
            return QueueJobOutcome.Rejected("Not a webhook delivery ticket.");
        }

        var target = await directory.GetTargetAsync(ticket.OrganizationId, ticket.ProjectId, ticket.EndpointId, cancellationToken).ConfigureAwait(false);
        if (target is null || !target.Endpoint.Enabled)
        {
            var reason = target is null
                ? "The endpoint was deleted."
                : "The endpoint is disabled" + (target.Endpoint.DisabledReason is { } why ? ": " + why : ".");
            await FailWithoutSendingAsync(ticket, reason, cancellationToken).ConfigureAwait(false);
            return QueueJobOutcome.Completed;
        }

        var endpoint = target.Endpoint;
        WebhookDelivery? delivery = null;
        if (ticket.Attempt > 1)
        {
            // A retry or a replay: the rare path reads the row first, so a stray sends nothing.
            delivery = await deliveries.GetAsync(ticket.OrganizationId, ticket.ProjectId, ticket.MessageId, ticket.EndpointId, cancellationToken).ConfigureAwait(false);
            if (IsAwaitingItsRecord(delivery, ticket, time.GetUtcNow()))
            {
                // The previous attempt queues this ticket before it records itself, so the ticket can come up while that
                // record is still in flight. Dropping it would leave the delivery Retrying with no ticket: look again shortly.
                await jobs.EnqueueAsync(JobQueues.WebhookDelivery, message.Body, RecordWait, cancellationToken).ConfigureAwait(false);
                return QueueJobOutcome.Completed;
            }

            if (!IsNext(delivery, ticket))
            {
                Log.Stray(logger, ticket.MessageId, ticket.EndpointId, ticket.Attempt);
                return QueueJobOutcome.Completed;
            }
        }

        SemaphoreSlim? lane = null;
        if (endpoint.RateLimitPerSecond is { } perSecond and > 0)
        {
            var limitKey = OutboundWebhookCounters.KeyOf(ticket.OrganizationId, ticket.ProjectId, ticket.EndpointId);
            lane = _lanes[(int)((uint)limitKey.GetHashCode() % (uint)_lanes.Length)];
            await lane.WaitAsync(cancellationToken).ConfigureAwait(false);
            WindowTake take;
            try
            {
                take = await limiter.TryTakeAsync(limitKey, RateLimitName, Math.Min(perSecond, MaxRateLimitPerSecond), RateWindow, time.GetUtcNow(), cancellationToken)
                    .ConfigureAwait(false);
            }
            catch
            {
                lane.Release();
                throw;
            }

            if (!take.Taken)
            {
                lane.Release();
                // Not an attempt: the same ticket comes back when a slot frees (the queue holds it, not this process).
                var wait = take.RetryAfter > TimeSpan.FromMilliseconds(50) ? take.RetryAfter : TimeSpan.FromMilliseconds(50);
                await jobs.EnqueueAsync(JobQueues.WebhookDelivery, message.Body, wait, cancellationToken).ConfigureAwait(false);
                Log.RateLimited(logger, ticket.MessageId, ticket.EndpointId, wait);
                return QueueJobOutcome.Completed;
            }
        }

        SendResult result;
        try
        {
            var payload = ticket.Payload;
            if (payload is null)
            {
                var stored = await messages.GetAsync(ticket.OrganizationId, ticket.ProjectId, ticket.MessageId, cancellationToken).ConfigureAwait(false);
                if (stored is null)
                {
                    // Removed past its retention: nothing is left to deliver, and the delivery row went with it.
                    Log.MessageGone(logger, ticket.MessageId, ticket.EndpointId);
                    return QueueJobOutcome.Completed;
                }

                payload = Encoding.UTF8.GetString(stored.Payload.Span);
            }

            byte[] body;
            try
            {
                body = Body(ticket, payload);
            }
            catch (JsonException)
            {
                await FailWithoutSendingAsync(ticket, "The message's payload is not JSON.", cancellationToken).ConfigureAwait(false);
                return QueueJobOutcome.Completed;
            }

            // The span names the endpoint, message and attempt: never the endpoint's URL (it may carry a token in its query)
            // or the signature (the HTTP client span below records the URL without its query).
            using var activity = HubTelemetry.StartActivity("webhook deliver", System.Diagnostics.ActivityKind.Internal);
            activity?.SetTag(HubTelemetry.Tags.OrganizationId, ticket.OrganizationId);
            activity?.SetTag(HubTelemetry.Tags.ProjectId, ticket.ProjectId);
            activity?.SetTag(HubTelemetry.Tags.Endpoint, ticket.EndpointId);
            activity?.SetTag(HubTelemetry.Tags.MessageId, ticket.MessageId);
            activity?.SetTag(HubTelemetry.Tags.Attempt, ticket.Attempt);
            result = await SendAsync(ticket, target, body, cancellationToken).ConfigureAwait(false);
            if (result.Attempt.StatusCode is { } statusCode)
            {
                activity?.SetTag(HubTelemetry.Tags.StatusCode, statusCode);
            }

            if (!result.Attempt.Succeeded)
            {
                activity.Fail("delivery attempt failed");
            }
        }
        finally
        {
            lane?.Release();
        }

        var key = OutboundWebhookCounters.KeyOf(ticket.OrganizationId, ticket.ProjectId, ticket.EndpointId);
        if (result.Attempt.Succeeded)
        {
            health.RecordSuccess(ticket.OrganizationId, ticket.ProjectId, ticket.EndpointId);
            var delivered = (delivery ?? FromTicket(ticket)) with
            {
                State = DeliveryState.Delivered,
                Attempts = ticket.Attempt,
                NextAttemptAt = null,
                LastAttemptAt = result.Attempt.At,
                LastStatusCode = result.Attempt.StatusCode,
                FailureReason = null,
                UpdatedAt = time.GetUtcNow(),
                // A 2xx is a fact: recorded whatever happened to the row meanwhile.
                ETag = null,
            };
            await deliveries.RecordAttemptAsync(delivered, result.Attempt, cancellationToken).ConfigureAwait(false);
            counters.Increment(key, OutboundWebhookCounters.Delivered);
            HubTelemetry.RecordDelivery(ticket.EndpointId, HubTelemetry.Outcomes.Delivered);
            Log.Delivered(logger, ticket.MessageId, ticket.EndpointId, ticket.Attempt, result.Attempt.StatusCode ?? 0);
            return QueueJobOutcome.Completed;
        }

        if (delivery is null)
        {
            // A first attempt failed: from here on the path is rare, and the row is read to continue it exactly once.
            delivery = await deliveries.GetAsync(ticket.OrganizationId, ticket.ProjectId, ticket.MessageId, ticket.EndpointId, cancellationToken).ConfigureAwait(false);
            if (IsAwaitingItsRecord(delivery, ticket, time.GetUtcNow()))
            {
                // The previous attempt queues this ticket before it records itself, so the ticket can come up while that
                // record is still in flight. Dropping it would leave the delivery Retrying with no ticket: look again shortly.
                await jobs.EnqueueAsync(JobQueues.WebhookDelivery, message.Body, RecordWait, cancellationToken).ConfigureAwait(false);
                return QueueJobOutcome.Completed;
            }

            if (!IsNext(delivery, ticket))
            {
                Log.Stray(logger, ticket.MessageId, ticket.EndpointId, ticket.Attempt);
                return QueueJobOutcome.Completed;
            }
        }

        string? finalReason;
        if (result.Attempt.StatusCode == 410)
        {
            await directory.DisableAsync(ticket.OrganizationId, ticket.ProjectId, ticket.EndpointId, "The endpoint answered 410 Gone.", cancellationToken).ConfigureAwait(false);
            finalReason = GoneReason;
        }
        else
        {
            finalReason = await health.RecordFailureAsync(ticket.OrganizationId, ticket.ProjectId, ticket.EndpointId, cancellationToken).ConfigureAwait(false) is { } disabled
                ? "The endpoint is disabled: " + disabled
                : null;
        }

        var now = time.GetUtcNow();
        TimeSpan? next = finalReason is null ? planner.NextDelay(endpoint.Retry, ticket.Attempt, result.RetryAfter, result.SlowDown) : null;
        WebhookDelivery recorded;
        if (next is { } delay)
        {
            // Whole milliseconds: the row's time and the ticket's must compare equal after both round trips.
            var notBefore = new DateTimeOffset((now + delay).UtcTicks / TimeSpan.TicksPerMillisecond * TimeSpan.TicksPerMillisecond, TimeSpan.Zero);
            // First the next ticket, then the record: a crash between leaves this message to be redelivered, never neither.
            await jobs.EnqueueAsync(JobQueues.WebhookDelivery, JsonSerializer.Serialize(ticket with { Attempt = ticket.Attempt + 1, NotBefore = notBefore }, Json),
                delay, cancellationToken).ConfigureAwait(false);
            recorded = delivery! with { State = DeliveryState.Retrying, NextAttemptAt = notBefore, FailureReason = null };
        }
        else
        {
            recorded = delivery! with
            {
                State = DeliveryState.Failed,
                NextAttemptAt = null,
                FailureReason = finalReason ?? string.Create(CultureInfo.InvariantCulture, $"All {ticket.Attempt} attempts failed."),
            };
        }

        recorded = recorded with { Attempts = ticket.Attempt, LastAttemptAt = result.Attempt.At, LastStatusCode = result.Attempt.StatusCode, UpdatedAt = now };
        HubTelemetry.RecordDelivery(ticket.EndpointId, next is null ? HubTelemetry.Outcomes.Failed : HubTelemetry.Outcomes.Retrying);
        var outcome = await deliveries.RecordAttemptAsync(recorded, result.Attempt, cancellationToken).ConfigureAwait(false);
        if (outcome != WriteOutcome.Written)
        {
            // Another copy of this attempt recorded first (or the row is gone): its series goes on; the ticket queued above is a stray.
            Log.LostRecord(logger, ticket.MessageId, ticket.EndpointId, ticket.Attempt, outcome);
            return QueueJobOutcome.Completed;
        }

        if (next is { } scheduled)
        {
            counters.Increment(key, OutboundWebhookCounters.Retried);
            Log.Retrying(logger, ticket.MessageId, ticket.EndpointId, ticket.Attempt, result.Attempt.StatusCode ?? 0, scheduled);
        }
        else
        {
            counters.Increment(key, OutboundWebhookCounters.Failed);
            Log.Failed(logger, ticket.MessageId, ticket.EndpointId, ticket.Attempt, recorded.FailureReason!);
        }

        return QueueJobOutcome.Completed;
    }

    /// <summary>
    /// Ends a delivery as <see cref="DeliveryState.Failed"/> without sending (endpoint gone or disabled, payload unusable, the
    /// ticket poisoned), conditional on the row as read; nothing when the ticket is a stray or the row is gone.
    /// </summary>
    public async Task<bool> FailWithoutSendingAsync(DeliveryTicket ticket, string reason, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        for (var attempt = 0; attempt < MaxUpdateAttempts; attempt++)
        {
            var delivery = await deliveries.GetAsync(ticket.OrganizationId, ticket.ProjectId, ticket.MessageId, ticket.EndpointId, cancellationToken).ConfigureAwait(false);
            if (!IsNext(delivery, ticket))
            {
                Log.Stray(logger, ticket.MessageId, ticket.EndpointId, ticket.Attempt);
                return false;
            }

            var failed = delivery! with { State = DeliveryState.Failed, NextAttemptAt = null, FailureReason = reason, UpdatedAt = time.GetUtcNow() };
            switch (await deliveries.TryUpdateAsync(failed, cancellationToken).ConfigureAwait(false))
            {
                case WriteOutcome.Written:
                    counters.Increment(OutboundWebhookCounters.KeyOf(ticket.OrganizationId, ticket.ProjectId, ticket.EndpointId), OutboundWebhookCounters.Failed);
                    Log.Failed(logger, ticket.MessageId, ticket.EndpointId, ticket.Attempt, reason);
                    return true;
                case WriteOutcome.NotFound:
                    return false;
            }
        }

        return false;
    }

    /// <summary>The ticket in a queue message body; null when it is not one.</summary>
    public static DeliveryTicket? Parse(string body)
    {
        DeliveryTicket? ticket;
        try
        {
            ticket = JsonSerializer.Deserialize<DeliveryTicket>(body, Json);
        }
        catch (JsonException)
        {
            return null;
        }

        return ticket is { Attempt: >= 1 }
            && Ids.IsValid(OutboundMessage.IdPrefix, ticket.MessageId)
            && Ids.IsValid(WebhookEndpoint.IdPrefix, ticket.EndpointId)
            && !string.IsNullOrEmpty(ticket.OrganizationId) && !string.IsNullOrEmpty(ticket.ProjectId) && !string.IsNullOrEmpty(ticket.EventType)
            ? ticket
            : null;
    }

    /// <summary>The delivered body: <c>{"type","timestamp","data"}</c>, UTF-8, with the payload as <c>data</c> exactly as given.</summary>
    /// <exception cref="JsonException">The payload is not one JSON value.</exception>
    public static byte[] Body(DeliveryTicket ticket, string payload)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        var buffer = new ArrayBufferWriter<byte>(payload.Length + 128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("type", ticket.EventType);
            writer.WriteString("timestamp", ticket.MessageCreatedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture));
            writer.WritePropertyName("data");
            // Validated (not trusted): whatever sits in the queue, the receiver gets one well-formed JSON document.
            writer.WriteRawValue(payload);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Whether the row is one attempt behind <paramref name="ticket"/>: the attempt that queued it has not recorded itself
    /// yet. Only for <see cref="RecordGrace"/> after the ticket's due time — past that, the previous attempt's process died
    /// between queueing and recording, its own message comes back, and it queues a new ticket.
    /// </summary>
    public static bool IsAwaitingItsRecord(WebhookDelivery? delivery, DeliveryTicket ticket, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        return delivery is not null && ticket.NotBefore is { } notBefore && delivery.Attempts == ticket.Attempt - 2
            && delivery.State is DeliveryState.Pending or DeliveryState.Retrying && now - notBefore < RecordGrace;
    }

    /// <summary>
    /// Whether <paramref name="ticket"/> is the delivery's next attempt: the row has its attempt − 1 attempts and is either
    /// Retrying towards the ticket's <see cref="DeliveryTicket.NotBefore"/> or, for a ticket without one, Pending.
    /// </summary>
    public static bool IsNext(WebhookDelivery? delivery, DeliveryTicket ticket)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        if (delivery is null || delivery.Attempts != ticket.Attempt - 1)
        {
            return false;
        }

        return ticket.NotBefore is { } notBefore
            ? delivery.State == DeliveryState.Retrying && delivery.NextAttemptAt is { } due && (due - notBefore).Duration() < TimeSpan.FromMilliseconds(1)
            : delivery.State == DeliveryState.Pending;
    }

    private async Task<SendResult> SendAsync(DeliveryTicket ticket, DeliveryTarget target, byte[] body, CancellationToken cancellationToken)
    {
        var endpoint = target.Endpoint;
        var at = time.GetUtcNow();
        var started = time.GetTimestamp();
        var timeout = endpoint.Timeout > TimeSpan.Zero ? endpoint.Timeout : WebhookEndpoint.DefaultTimeout;
        var headers = new List<KeyValuePair<string, string>>(endpoint.Headers.Count + 4);
        foreach (var header in endpoint.Headers)
        {
            // The signature headers and the media type are ours; an endpoint's own headers never replace them.
            if (!header.Key.StartsWith("webhook-", StringComparison.OrdinalIgnoreCase) && !string.Equals(header.Key, "Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                headers.Add(header);
            }
        }

        headers.Add(KeyValuePair.Create("Content-Type", "application/json"));
        headers.AddRange(StandardWebhookSigner.Headers(ticket.MessageId, at, body, target.Secrets));
        using var content = new MemoryStream(body, writable: false);
        var request = new ProxyRequest
        {
            Method = "POST",
            Target = endpoint.Url,
            Headers = headers,
            Body = content,
            BodyLength = body.Length,
            CircuitKey = endpoint.Id,
            // Retries are the queue's, on the endpoint's schedule: the transport makes one attempt.
            MaxAttempts = 1,
            AttemptTimeout = timeout,
        };

        await using var response = await transport.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!response.HasResponse)
        {
            var failure = response.Failure;
            var error = $"{Code(failure.Kind)}: {failure.Reason}";
            return new SendResult(
                new DeliveryAttempt(ticket.MessageId, ticket.EndpointId, ticket.Attempt, at, null, time.GetElapsedTime(started), null, error),
                failure.RetryAfter, failure.Kind == ProxyFailureKind.Timeout);
        }

        var text = await ReadStartAsync(response.Body, timeout, cancellationToken).ConfigureAwait(false);
        var duration = time.GetElapsedTime(started);
        TimeSpan? retryAfter = null;
        foreach (var (name, value) in response.Headers)
        {
            if (string.Equals(name, "Retry-After", StringComparison.OrdinalIgnoreCase) && DeliveryRetryPlanner.TryParseRetryAfter(value, time.GetUtcNow(), out var asked))
            {
                retryAfter = asked;
            }
        }

        return new SendResult(
            new DeliveryAttempt(ticket.MessageId, ticket.EndpointId, ticket.Attempt, at, response.StatusCode, duration, text, null),
            retryAfter, response.StatusCode == 429);
    }

    /// <summary>The first <see cref="DeliveryAttempt.MaxResponseBodyChars"/> characters of the body (UTF-8, lossy), read within the endpoint's timeout.</summary>
    private static async Task<string?> ReadStartAsync(Stream body, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(DeliveryAttempt.MaxResponseBodyChars);
        try
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(timeout);
            var filled = 0;
            try
            {
                while (filled < DeliveryAttempt.MaxResponseBodyChars)
                {
                    var read = await body.ReadAsync(buffer.AsMemory(filled, DeliveryAttempt.MaxResponseBodyChars - filled), limit.Token).ConfigureAwait(false);
                    if (read == 0)
                    {
                        break;
                    }

                    filled += read;
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException && !cancellationToken.IsCancellationRequested)
            {
                // The status is the answer; a body that stalls or breaks keeps what arrived.
            }

            if (filled == 0)
            {
                return null;
            }

            var text = Encoding.UTF8.GetString(buffer, 0, filled);
            return text.Length > DeliveryAttempt.MaxResponseBodyChars ? text[..DeliveryAttempt.MaxResponseBodyChars] : text;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static WebhookDelivery FromTicket(DeliveryTicket ticket) =>
        new(ticket.OrganizationId, ticket.ProjectId, ticket.MessageId, ticket.EndpointId, ticket.EventType, DeliveryState.Pending, ticket.Attempt - 1,
            null, null, null, null, ticket.MessageCreatedAt, ticket.MessageCreatedAt);

    public void Dispose()
    {
        foreach (var lane in _lanes)
        {
            lane.Dispose();
        }
    }

    /// <summary>The failure class as an attempt's error names it.</summary>
    public static string Code(ProxyFailureKind kind) => kind switch
    {
        ProxyFailureKind.TargetRefused => "target_refused",
        ProxyFailureKind.CircuitOpen => "circuit_open",
        ProxyFailureKind.Timeout => "timeout",
        _ => "network_error",
    };

    /// <param name="SlowDown">A 429 or a timeout: the next attempt waits at least <see cref="DeliveryRetryPlanner.SlowDownFloor"/>.</param>
    private sealed record SendResult(DeliveryAttempt Attempt, TimeSpan? RetryAfter, bool SlowDown);

    // Event ids 9410-9429: the delivery job. Ids, numbers and reasons of our own only: never a payload, secret or signature.
    private static partial class Log
    {
        [LoggerMessage(EventId = 9410, Level = LogLevel.Debug, Message = "Message {MessageId} delivered to endpoint {EndpointId} on attempt {Attempt} ({Status}).")]
        public static partial void Delivered(ILogger logger, string messageId, string endpointId, int attempt, int status);

        [LoggerMessage(EventId = 9411, Level = LogLevel.Information, Message = "Message {MessageId} to endpoint {EndpointId}: attempt {Attempt} failed ({Status}); the next in {Delay}.")]
        public static partial void Retrying(ILogger logger, string messageId, string endpointId, int attempt, int status, TimeSpan delay);

        [LoggerMessage(EventId = 9412, Level = LogLevel.Warning, Message = "Message {MessageId} to endpoint {EndpointId} failed after attempt {Attempt}: {Reason}")]
        public static partial void Failed(ILogger logger, string messageId, string endpointId, int attempt, string reason);

        [LoggerMessage(EventId = 9413, Level = LogLevel.Information, Message = "Ticket for attempt {Attempt} of message {MessageId} to endpoint {EndpointId} is a stray (the delivery has moved on); dropped.")]
        public static partial void Stray(ILogger logger, string messageId, string endpointId, int attempt);

        [LoggerMessage(EventId = 9414, Level = LogLevel.Debug, Message = "Message {MessageId} to endpoint {EndpointId} waits {Wait} for the endpoint's rate limit.")]
        public static partial void RateLimited(ILogger logger, string messageId, string endpointId, TimeSpan wait);

        [LoggerMessage(EventId = 9415, Level = LogLevel.Information, Message = "Message {MessageId} is gone (past its retention); its ticket for endpoint {EndpointId} is dropped.")]
        public static partial void MessageGone(ILogger logger, string messageId, string endpointId);

        [LoggerMessage(EventId = 9416, Level = LogLevel.Information, Message = "Attempt {Attempt} of message {MessageId} to endpoint {EndpointId} was not recorded ({Outcome}): another copy continued the delivery.")]
        public static partial void LostRecord(ILogger logger, string messageId, string endpointId, int attempt, WriteOutcome outcome);
    }
}
