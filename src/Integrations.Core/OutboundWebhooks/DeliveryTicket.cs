namespace Integrations.Core.OutboundWebhooks;

/// <summary>
/// The queue message of one delivery attempt (queue <see cref="Common.JobQueues.WebhookDelivery"/>): which delivery, and
/// which attempt it is for — the job makes attempt <see cref="Attempt"/> only if the delivery still expects it, so a stray
/// copy of an attempt already made does nothing.
/// </summary>
public sealed record DeliveryTicket(string OrganizationId, string ProjectId, string MessageId, string EndpointId, int Attempt);
