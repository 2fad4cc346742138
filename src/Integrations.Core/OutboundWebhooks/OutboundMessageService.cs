using System.Text;
using System.Text.Json;
using Integrations.Core.Common;
using Integrations.Core.Webhooks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Integrations.Core.OutboundWebhooks;

/// <summary>
/// Accepts outbound messages and fans them out: one <see cref="DeliveryState.Pending"/> delivery per subscribed endpoint,
/// stored with the message in one transaction (<see cref="IOutboundMessageStore.AddAsync"/>), then one
/// <see cref="DeliveryTicket"/> per delivery on <see cref="JobQueues.WebhookDelivery"/>. Also replays a message and
/// recovers an endpoint's failed deliveries. Expected failures come back as <see cref="HubError"/> values.
/// </summary>
/// <remarks>
/// The store comes before the queue, so a process that dies between them leaves deliveries that are
/// <see cref="DeliveryState.Pending"/> with no attempt and no ticket. A <see cref="FanOutMarker"/> stored with the message
/// (one transaction, so it costs no write of its own) and removed after the last ticket is queued says which: <see cref="RecoverFanOutAsync"/> (the fan-out recovery job)
/// queues their tickets once the marker is older than <c>Webhooks:FanOutRecoveryAfter</c>. That holds for every message,
/// with or without an idempotency key, the hub's own included.
/// </remarks>
public sealed partial class OutboundMessageService(
    IOutboundMessageStore messages,
    IWebhookDeliveryStore deliveries,
    IWebhookEndpointDirectory directory,
    IWebhookEndpointStore endpoints,
    IJobDispatcher jobs,
    TimeProvider time,
    IOptions<WebhookOptions> options,
    ILogger<OutboundMessageService> logger)
{
    /// <summary>The longest idempotency key, in characters.</summary>
    public const int MaxIdempotencyKeyLength = 256;

    /// <summary>At most this many failed deliveries are put back by one recover (the answer says when there were more).</summary>
    public const int MaxRecoverCount = 1000;

    /// <summary>A queue message holds 64 KiB after base64 (4/3): a ticket's JSON stays below this many characters, else it goes without the payload.</summary>
    public const int MaxTicketChars = 46 * 1024;

    private const int MaxUpdateAttempts = 5;

    private static readonly JsonDocumentOptions PayloadOptions = new() { MaxDepth = 64 };

    /// <summary>
    /// Checks and stores a message and queues its deliveries. The same <paramref name="idempotencyKey"/> within
    /// <c>Webhooks:MessageIdempotencyRetention</c> returns the first message (<see cref="AcceptedMessage.Duplicate"/>) and
    /// queues nothing again, but the tickets of a first accept that died before queueing them.
    /// </summary>
    public Task<Result<AcceptedMessage>> AcceptAsync(
        string organizationId, string projectId, string eventType, ReadOnlyMemory<byte> payload, string? idempotencyKey, string origin,
        CancellationToken cancellationToken = default) =>
        AcceptAsync(new OutboundMessage(Ids.New(OutboundMessage.IdPrefix), organizationId, projectId, eventType, payload, idempotencyKey, origin, time.GetUtcNow()),
            cancellationToken);

    /// <summary>
    /// Stores <paramref name="message"/> as it is (the hub's own messages come with an id derived from what they publish, so
    /// publishing again is a repeat) and queues its deliveries; see <see cref="AcceptAsync(string, string, string, ReadOnlyMemory{byte}, string?, string, CancellationToken)"/>.
    /// </summary>
    public async Task<Result<AcceptedMessage>> AcceptAsync(OutboundMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (Validate(message.EventType, message.Payload.Span, message.IdempotencyKey, options.Value.MaxMessageBytes) is { } invalid)
        {
            return invalid;
        }

        var now = time.GetUtcNow();
        var subscribed = await directory.ListSubscribedAsync(message.OrganizationId, message.ProjectId, message.EventType, cancellationToken).ConfigureAwait(false);
        var planned = subscribed.Select(endpoint => NewDelivery(message, endpoint.Id, now)).ToList();
        var (stored, added) = await messages.AddAsync(message, planned, cancellationToken).ConfigureAwait(false);
        if (!added)
        {
            // A repeat: nothing was written; the first message stands, with its own fan-out (and its own marker, if that accept died).
            var existing = await deliveries.ListByMessageAsync(stored.OrganizationId, stored.ProjectId, stored.Id, cancellationToken).ConfigureAwait(false);
            return new AcceptedMessage(stored, existing, Duplicate: true);
        }

        Log.Accepted(logger, stored.Id, stored.ProjectId, stored.Origin, planned.Count);
        if (!await TryEnqueueAsync(stored, planned.Select(d => (d, 1)), cancellationToken).ConfigureAwait(false))
        {
            // The marker stays: the recovery job queues what is missing.
            return NotQueued(stored);
        }

        if (planned.Count > 0)
        {
            await CloseQuietlyAsync(stored).ConfigureAwait(false);
        }

        return new AcceptedMessage(stored, planned, Duplicate: false);
    }

    /// <summary>
    /// Finishes the fan-out <paramref name="marker"/> left open (as listed; claimed first, so that of two recoveries one acts): queues a first-attempt ticket for each of the message's
    /// deliveries that is still <see cref="DeliveryState.Pending"/> with no attempt, then removes the marker. A marker whose
    /// message is gone (deleted by the retention cleanup) is just removed. The number of tickets queued.
    /// </summary>
    /// <remarks>
    /// A delivery whose first ticket did get queued but has not run yet (a long backlog) gets a second: at least once — its
    /// receiver sees the same <c>webhook-id</c> twice and deduplicates. That needs a process to die mid-accept.
    /// </remarks>
    public async Task<int> RecoverFanOutAsync(FanOutMarker marker, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(marker);
        if (!await messages.TryClaimFanOutAsync(marker, time.GetUtcNow(), cancellationToken).ConfigureAwait(false))
        {
            // Another instance's recovery has it (or finished it).
            return 0;
        }

        var queued = 0;
        if (await messages.GetAsync(marker.OrganizationId, marker.ProjectId, marker.MessageId, cancellationToken).ConfigureAwait(false) is { } message)
        {
            var existing = await deliveries.ListByMessageAsync(marker.OrganizationId, marker.ProjectId, marker.MessageId, cancellationToken).ConfigureAwait(false);
            var stalled = existing.Where(d => d is { State: DeliveryState.Pending, Attempts: 0 }).ToList();
            if (stalled.Count > 0 && !await TryEnqueueAsync(message, stalled.Select(d => (d, 1)), cancellationToken).ConfigureAwait(false))
            {
                // Still not queueable: the marker stays for the next run.
                return 0;
            }

            queued = stalled.Count;
            if (queued > 0)
            {
                Log.Requeued(logger, message.Id, queued);
            }
        }

        await messages.CloseFanOutAsync(marker.OrganizationId, marker.ProjectId, marker.MessageId, cancellationToken).ConfigureAwait(false);
        return queued;
    }

    /// <summary>Removes a message's marker after its fan-out finished; a failure only costs the recovery job a look at a finished fan-out.</summary>
    private async Task CloseQuietlyAsync(OutboundMessage message)
    {
        try
        {
            // Not the request's token: the client may go once its tickets are queued, and the marker should still go.
            await messages.CloseFanOutAsync(message.OrganizationId, message.ProjectId, message.Id, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Log.CloseFailed(logger, ex, message.Id);
        }
    }

    /// <summary>The message with its payload and its deliveries; a message of another project or tenant is not found.</summary>
    public async Task<Result<MessageWithDeliveries>> GetAsync(string organizationId, string projectId, string messageId, CancellationToken cancellationToken = default)
    {
        if (!Ids.IsValid(OutboundMessage.IdPrefix, messageId)
            || await messages.GetAsync(organizationId, projectId, messageId, cancellationToken).ConfigureAwait(false) is not { } message)
        {
            return HubError.NotFound("message");
        }

        var list = await deliveries.ListByMessageAsync(organizationId, projectId, messageId, cancellationToken).ConfigureAwait(false);
        return new MessageWithDeliveries(message, list);
    }

    /// <summary>The message's attempts across its endpoints, oldest first.</summary>
    public async Task<Result<IReadOnlyList<DeliveryAttempt>>> ListAttemptsAsync(string organizationId, string projectId, string messageId, CancellationToken cancellationToken = default)
    {
        if (!Ids.IsValid(OutboundMessage.IdPrefix, messageId)
            || await messages.GetAsync(organizationId, projectId, messageId, cancellationToken).ConfigureAwait(false) is null)
        {
            return HubError.NotFound("message");
        }

        return Result.Success(await deliveries.ListAttemptsByMessageAsync(organizationId, projectId, messageId, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>
    /// Sends the message again: every delivery (or the one to <paramref name="endpointId"/>) goes back to
    /// <see cref="DeliveryState.Pending"/> with a ticket for its next attempt (attempt numbers continue). An endpoint that
    /// subscribes to the message's type now but had no delivery gets one; naming an endpoint that has none and does not
    /// subscribe is <see cref="OutboundMessageErrors.EndpointNotSubscribed"/>.
    /// </summary>
    public async Task<Result<ReplayedMessage>> ReplayAsync(
        string organizationId, string projectId, string messageId, string? endpointId, CancellationToken cancellationToken = default)
    {
        if (!Ids.IsValid(OutboundMessage.IdPrefix, messageId)
            || await messages.GetAsync(organizationId, projectId, messageId, cancellationToken).ConfigureAwait(false) is not { } message)
        {
            return HubError.NotFound("message");
        }

        if (endpointId is not null && (!Ids.IsValid(WebhookEndpoint.IdPrefix, endpointId)
            || await endpoints.GetAsync(organizationId, projectId, endpointId, cancellationToken).ConfigureAwait(false) is null))
        {
            return HubError.NotFound("webhook endpoint");
        }

        var existing = await deliveries.ListByMessageAsync(organizationId, projectId, messageId, cancellationToken).ConfigureAwait(false);
        var chosen = existing.Where(d => endpointId is null || string.Equals(d.EndpointId, endpointId, StringComparison.Ordinal)).ToList();
        var now = time.GetUtcNow();
        var created = new List<WebhookDelivery>();
        if (endpointId is null || chosen.Count == 0)
        {
            var have = existing.Select(d => d.EndpointId).ToHashSet(StringComparer.Ordinal);
            var subscribed = await directory.ListSubscribedAsync(organizationId, projectId, message.EventType, cancellationToken).ConfigureAwait(false);
            created.AddRange(subscribed
                .Where(e => !have.Contains(e.Id) && (endpointId is null || string.Equals(e.Id, endpointId, StringComparison.Ordinal)))
                .Select(e => NewDelivery(message, e.Id, now)));
            if (endpointId is not null && created.Count == 0)
            {
                return HubError.Invalid(OutboundMessageErrors.EndpointNotSubscribed,
                    "The endpoint has no delivery of this message and does not subscribe to its event type (or is disabled).", "endpoint_id");
            }
        }

        if (created.Count > 0)
        {
            await deliveries.CreateAsync(created, cancellationToken).ConfigureAwait(false);
        }

        var tickets = new List<(WebhookDelivery Delivery, int Attempt)>(created.Select(d => (d, 1)));
        foreach (var delivery in chosen)
        {
            if (await RequeueAsync(delivery, now, cancellationToken).ConfigureAwait(false) is { } requeued)
            {
                tickets.Add((requeued, requeued.Attempts + 1));
            }
        }

        Log.Replayed(logger, messageId, tickets.Count);
        if (!await TryEnqueueAsync(message, tickets, cancellationToken).ConfigureAwait(false))
        {
            return NotQueued(message);
        }

        return new ReplayedMessage(message, tickets.Select(t => t.Delivery.EndpointId).ToList());
    }

    /// <summary>
    /// Replays every <see cref="DeliveryState.Failed"/> delivery of the endpoint created at or after <paramref name="since"/>
    /// (at most <see cref="MaxRecoverCount"/>, newest first); the result counts them.
    /// </summary>
    public async Task<Result<RecoveredDeliveries>> RecoverAsync(
        string organizationId, string projectId, string endpointId, DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        if (!Ids.IsValid(WebhookEndpoint.IdPrefix, endpointId)
            || await endpoints.GetAsync(organizationId, projectId, endpointId, cancellationToken).ConfigureAwait(false) is null)
        {
            return HubError.NotFound("webhook endpoint");
        }

        var failed = await deliveries.ListByEndpointAsync(organizationId, projectId, endpointId, DeliveryState.Failed, since, MaxRecoverCount + 1, cancellationToken)
            .ConfigureAwait(false);
        var now = time.GetUtcNow();
        var loaded = new Dictionary<string, OutboundMessage?>(StringComparer.Ordinal);
        var count = 0;
        foreach (var delivery in failed.Take(MaxRecoverCount))
        {
            if (!loaded.TryGetValue(delivery.MessageId, out var message))
            {
                message = await messages.GetAsync(organizationId, projectId, delivery.MessageId, cancellationToken).ConfigureAwait(false);
                loaded[delivery.MessageId] = message;
            }

            // A delivery whose message is gone (past retention) has nothing left to send.
            if (message is null || await RequeueAsync(delivery, now, cancellationToken).ConfigureAwait(false) is not { } requeued)
            {
                continue;
            }

            if (!await TryEnqueueAsync(message, [(requeued, requeued.Attempts + 1)], cancellationToken).ConfigureAwait(false))
            {
                return NotQueued(message);
            }

            count++;
        }

        Log.Recovered(logger, endpointId, count);
        return new RecoveredDeliveries(endpointId, since, count, More: failed.Count > MaxRecoverCount);
    }

    /// <summary>
    /// Checks a message's parts: the event type (<see cref="OutboundEventTypes"/>), the payload (JSON, at most
    /// <paramref name="maxPayloadBytes"/> bytes) and the idempotency key (at most <see cref="MaxIdempotencyKeyLength"/>
    /// printable characters). Null when they are fine.
    /// </summary>
    public static HubError? Validate(string? eventType, ReadOnlySpan<byte> payload, string? idempotencyKey, int maxPayloadBytes)
    {
        if (!OutboundEventTypes.IsValid(eventType))
        {
            return HubError.Invalid(OutboundMessageErrors.InvalidEventType,
                $"event_type must be 1 to {OutboundEventTypes.MaxLength} characters: dot-separated segments of letters, digits, '_' and '-' (e.g. invoice.paid).",
                "event_type");
        }

        if (payload.Length > maxPayloadBytes)
        {
            return new HubError(ErrorKind.TooLarge, OutboundMessageErrors.PayloadTooLarge, $"The payload must be at most {maxPayloadBytes} bytes (Webhooks:MaxMessageBytes).",
                "payload");
        }

        if (!IsJson(payload))
        {
            return HubError.Invalid(OutboundMessageErrors.InvalidPayload, "payload must be a JSON value (an object, usually).", "payload");
        }

        if (idempotencyKey is not null && (idempotencyKey.Length is 0 or > MaxIdempotencyKeyLength || !PrintableText.IsPrintable(idempotencyKey)))
        {
            return HubError.Invalid(OutboundMessageErrors.InvalidIdempotencyKey,
                $"idempotency_key must be 1 to {MaxIdempotencyKeyLength} printable characters.", "idempotency_key");
        }

        return null;
    }

    /// <summary>True when <paramref name="payload"/> is exactly one JSON value (UTF-8, depth at most 64).</summary>
    internal static bool IsJson(ReadOnlySpan<byte> payload)
    {
        if (payload.IsEmpty)
        {
            return false;
        }

        try
        {
            var reader = new Utf8JsonReader(payload, new JsonReaderOptions { MaxDepth = PayloadOptions.MaxDepth });
            // Reads the whole value; trailing content after it throws.
            while (reader.Read())
            {
            }

            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static WebhookDelivery NewDelivery(OutboundMessage message, string endpointId, DateTimeOffset now) =>
        new(message.OrganizationId, message.ProjectId, message.Id, endpointId, message.EventType, DeliveryState.Pending, 0, now, null, null, null, now, now);

    /// <summary>The delivery back to Pending (due now), conditional on its ETag and re-read on a conflict; null when it is gone.</summary>
    private async Task<WebhookDelivery?> RequeueAsync(WebhookDelivery delivery, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var current = delivery;
        for (var attempt = 0; attempt < MaxUpdateAttempts; attempt++)
        {
            var updated = current with { State = DeliveryState.Pending, NextAttemptAt = now, FailureReason = null, UpdatedAt = now };
            switch (await deliveries.TryUpdateAsync(updated, cancellationToken).ConfigureAwait(false))
            {
                case WriteOutcome.Written:
                    return updated;
                case WriteOutcome.NotFound:
                    return null;
            }

            // An attempt was recorded meanwhile: apply the replay to what it wrote.
            current = await deliveries.GetAsync(delivery.OrganizationId, delivery.ProjectId, delivery.MessageId, delivery.EndpointId, cancellationToken).ConfigureAwait(false);
            if (current is null)
            {
                return null;
            }
        }

        throw new InvalidOperationException($"Delivery of {delivery.MessageId} to {delivery.EndpointId} kept changing; the replay was not applied.");
    }

    /// <summary>Queues one ticket per (delivery, attempt); false (logged) when the queue refused one.</summary>
    private async Task<bool> TryEnqueueAsync(OutboundMessage message, IEnumerable<(WebhookDelivery Delivery, int Attempt)> tickets, CancellationToken cancellationToken)
    {
        string? payload = null;
        foreach (var (delivery, attempt) in tickets)
        {
            payload ??= Encoding.UTF8.GetString(message.Payload.Span);
            try
            {
                await jobs.EnqueueAsync(JobQueues.WebhookDelivery, TicketJson(message, delivery.EndpointId, attempt, payload), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                Log.EnqueueFailed(logger, ex, message.Id, delivery.EndpointId);
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The ticket as the delivery job reads it (System.Text.Json web defaults). The payload rides along when the ticket stays
    /// within a queue message (<see cref="DeliveryTicket.MaxInlinePayloadChars"/> and, after JSON escaping, <see cref="MaxTicketChars"/>).
    /// </summary>
    public static string TicketJson(OutboundMessage message, string endpointId, int attempt, string? payload)
    {
        ArgumentNullException.ThrowIfNull(message);
        var inline = payload is not null && payload.Length <= DeliveryTicket.MaxInlinePayloadChars ? payload : null;
        var ticket = new DeliveryTicket(message.OrganizationId, message.ProjectId, message.Id, endpointId, attempt, message.EventType, message.CreatedAt, inline);
        var json = JsonSerializer.Serialize(ticket, JsonSerializerOptions.Web);
        return json.Length <= MaxTicketChars || inline is null ? json : JsonSerializer.Serialize(ticket with { Payload = null }, JsonSerializerOptions.Web);
    }

    private static HubError NotQueued(OutboundMessage message) => new(ErrorKind.Unavailable, OutboundMessageErrors.NotQueued,
        $"Message {message.Id} is stored but not all of its deliveries could be queued; send it again with the same idempotency key, or replay it.");

    private static partial class Log
    {
        [LoggerMessage(EventId = 9350, Level = LogLevel.Debug, Message = "Message {MessageId} ({Origin}) accepted in project {ProjectId}: {Deliveries} deliveries.")]
        public static partial void Accepted(ILogger logger, string messageId, string projectId, string origin, int deliveries);

        [LoggerMessage(EventId = 9351, Level = LogLevel.Warning, Message = "Message {MessageId}: {Count} deliveries had no ticket (an accept died before queueing them); queued by the fan-out recovery.")]
        public static partial void Requeued(ILogger logger, string messageId, int count);

        [LoggerMessage(EventId = 9352, Level = LogLevel.Error, Message = "Message {MessageId}: the ticket for endpoint {EndpointId} could not be queued.")]
        public static partial void EnqueueFailed(ILogger logger, Exception exception, string messageId, string endpointId);

        [LoggerMessage(EventId = 9353, Level = LogLevel.Information, Message = "Message {MessageId} replayed: {Count} deliveries queued.")]
        public static partial void Replayed(ILogger logger, string messageId, int count);

        [LoggerMessage(EventId = 9354, Level = LogLevel.Information, Message = "Endpoint {EndpointId} recovered: {Count} failed deliveries queued again.")]
        public static partial void Recovered(ILogger logger, string endpointId, int count);

        [LoggerMessage(EventId = 9355, Level = LogLevel.Warning, Message = "Message {MessageId}: its fan-out marker could not be removed; the recovery job will find every ticket queued.")]
        public static partial void CloseFailed(ILogger logger, Exception exception, string messageId);
    }
}
