namespace Integrations.Core.OutboundWebhooks;

/// <summary>
/// The queue message of one delivery attempt (queue <see cref="Common.JobQueues.WebhookDelivery"/>). It carries what the
/// attempt needs so that the delivery hot path reads no storage: the message's type, time and — up to
/// <see cref="MaxInlinePayloadChars"/> — its payload (larger: null, the job reads the message). <see cref="Attempt"/> is
/// the attempt number this ticket is for.
/// </summary>
/// <param name="Payload">The message's JSON payload as text, or null when it is too large to ride along.</param>
/// <param name="NotBefore">
/// For a retry the delivery job enqueued: when it was planned to run, as the job recorded it in the delivery's
/// <see cref="WebhookDelivery.NextAttemptAt"/>. A retry ticket whose value differs from the row's is a stray (a copy enqueued by an
/// attempt whose record lost to another) and does nothing. Null for first attempts and replays.
/// </param>
public sealed record DeliveryTicket(
    string OrganizationId,
    string ProjectId,
    string MessageId,
    string EndpointId,
    int Attempt,
    string EventType,
    DateTimeOffset MessageCreatedAt,
    string? Payload,
    DateTimeOffset? NotBefore = null)
{
    /// <summary>Payloads up to this many characters ride in the ticket (a Storage Queue message holds 64 KiB, base64-encoded by the SDK).</summary>
    public const int MaxInlinePayloadChars = 32 * 1024;

    /// <summary>Names the delivery only: the payload never prints.</summary>
    public override string ToString() => $"DeliveryTicket {{ Message = {MessageId}, Endpoint = {EndpointId}, Attempt = {Attempt} }}";
}
