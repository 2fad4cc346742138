using System.Text;
using System.Text.Json;
using Integrations.Api.Http;
using Integrations.Api.Pipeline;
using Integrations.Core.Common;
using Integrations.Core.OutboundWebhooks;
using Integrations.Core.Webhooks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Integrations.Api.OutboundWebhooks;

/// <summary>
/// A project's outbound messages: send, list, read (with payload and deliveries), attempts, replay. Every read is within
/// the verified project's partition: another project's or organization's message id is simply not found.
/// </summary>
public sealed class MessageEndpoints(OutboundMessageService messages, IOutboundMessageStore store, IOptions<WebhookOptions> options, TimeProvider time)
{
    /// <summary>The header a repeat of an idempotency key is answered with (as Stripe names it), besides <c>duplicate</c> in the body.</summary>
    public const string ReplayedHeader = "Idempotent-Replayed";

    /// <summary>Room in the body for what surrounds the payload (event type, idempotency key, JSON punctuation).</summary>
    private const int EnvelopeBytes = 16 * 1024;

    /// <summary>The payload may nest this deep (the body's own object is one more level).</summary>
    private const int MaxPayloadDepth = 64;

    public async Task<IResult> SendAsync(HubRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var maxPayload = options.Value.MaxMessageBytes;
        var body = await JsonBody.ReadElementAsync(request.Request, maxPayload + EnvelopeBytes, MaxPayloadDepth + 1).ConfigureAwait(false);
        if (!body.IsSuccess)
        {
            return Problems.From(body.Error);
        }

        var input = Read(body.Value);
        if (!input.IsSuccess)
        {
            return Problems.From(input.Error);
        }

        var (eventType, payload, idempotencyKey) = input.Value;
        if (OutboundMessageService.Validate(eventType, payload, idempotencyKey, maxPayload) is { } invalid)
        {
            return Problems.From(invalid);
        }

        // The message row names its sender, in the transaction that stores it: no attempt record before it (ApiRoute.StoresItsActor).
        var message = new OutboundMessage(Ids.New(OutboundMessage.IdPrefix), request.OrganizationId, request.Project.Id, eventType, payload, idempotencyKey,
            MessageOrigins.Api, time.GetUtcNow())
        {
            SentBy = request.Caller.Kind + ":" + request.Caller.Id,
        };
        request.Audit.Target = MessageRoutes.Target(message.Id);
        var accepted = await messages.AcceptAsync(message, cancellationToken).ConfigureAwait(false);
        if (!accepted.IsSuccess)
        {
            return Problems.From(accepted.Error);
        }

        request.Audit.Target = MessageRoutes.Target(accepted.Value.Message.Id);
        if (accepted.Value.Duplicate)
        {
            request.Response.Headers[ReplayedHeader] = "true";
        }

        return Responses.Json(MessageAcceptedResponse.From(accepted.Value), StatusCodes.Status202Accepted);
    }

    public async Task<IResult> ListAsync(HubRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var page = Query.Page(request.Request);
        var since = Query.Time(request.Request, "since");
        if ((page.Error ?? since.Error) is { } error)
        {
            return Problems.From(error);
        }

        var eventType = request.Request.Query["event_type"].ToString();
        if (eventType.Length > 0 && !OutboundEventTypes.IsValid(eventType))
        {
            return Problems.From(HubError.Invalid(ApiProblems.InvalidQuery, "event_type must be an event type (e.g. invoice.paid).", "event_type"));
        }

        var list = await store.ListAsync(request.OrganizationId, request.Project.Id,
            new OutboundMessageQuery(page.Value, eventType.Length == 0 ? null : eventType, since.Value), cancellationToken).ConfigureAwait(false);
        return Responses.Page(list, MessageSummaryResponse.From);
    }

    public async Task<IResult> GetAsync(HubRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var found = await messages.GetAsync(request.OrganizationId, request.Project.Id, Id(request), cancellationToken).ConfigureAwait(false);
        return found.IsSuccess ? Responses.Json(MessageResponse.From(found.Value)) : Problems.From(found.Error);
    }

    public async Task<IResult> ListAttemptsAsync(HubRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var attempts = await messages.ListAttemptsAsync(request.OrganizationId, request.Project.Id, Id(request), cancellationToken).ConfigureAwait(false);
        return attempts.IsSuccess
            ? Responses.Json(new MessageAttemptsResponse(Id(request), attempts.Value.Select(AttemptResponse.From).ToList()))
            : Problems.From(attempts.Error);
    }

    public async Task<IResult> ReplayAsync(HubRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = await JsonBody.ReadAsync<MessageReplayInput>(request.Request, optional: true).ConfigureAwait(false);
        if (!body.IsSuccess)
        {
            return Problems.From(body.Error);
        }

        var replayed = await messages.ReplayAsync(request.OrganizationId, request.Project.Id, Id(request), body.Value.EndpointId, cancellationToken).ConfigureAwait(false);
        return replayed.IsSuccess
            ? Responses.Json(new MessageReplayedResponse(replayed.Value.Message.Id, replayed.Value.EndpointIds, replayed.Value.EndpointIds.Count), StatusCodes.Status202Accepted)
            : Problems.From(replayed.Error);
    }

    /// <summary>The members of a send: <c>event_type</c> (string), <c>payload</c> (any JSON, kept as sent), <c>idempotency_key</c> (string, optional).</summary>
    private static Result<(string EventType, byte[] Payload, string? IdempotencyKey)> Read(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            return HubError.Invalid(MessageProblems.InvalidMessage, "The body must be a JSON object {event_type, payload, idempotency_key?}.");
        }

        if (!body.TryGetProperty("event_type", out var eventType) || eventType.ValueKind != JsonValueKind.String)
        {
            return HubError.Invalid(MessageProblems.InvalidMessage, "event_type is required: a string such as invoice.paid.", "event_type");
        }

        if (!body.TryGetProperty("payload", out var payload) || payload.ValueKind is JsonValueKind.Undefined)
        {
            return HubError.Invalid(MessageProblems.InvalidMessage, "payload is required: the JSON the endpoints receive as data.", "payload");
        }

        string? key = null;
        if (body.TryGetProperty("idempotency_key", out var keyElement) && keyElement.ValueKind != JsonValueKind.Null)
        {
            if (keyElement.ValueKind != JsonValueKind.String)
            {
                return HubError.Invalid(MessageProblems.InvalidMessage, "idempotency_key must be a string.", "idempotency_key");
            }

            key = keyElement.GetString();
        }

        // The payload's own text, as sent (escapes and number spellings kept).
        return (eventType.GetString()!, Encoding.UTF8.GetBytes(payload.GetRawText()), key);
    }

    private static string Id(HubRequest request) => request.Values.Required(MessageRoutes.IdParameter);
}
