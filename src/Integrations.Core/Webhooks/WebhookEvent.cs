namespace Integrations.Core.Webhooks;

/// <summary>A verified delivery as stored: handed on to the project's queue, listed and replayed through the events API.</summary>
/// <param name="Id">The hub's event id (<c>whe_…</c>).</param>
/// <param name="ProviderEventId">The provider's id for it (the idempotency key within the source).</param>
/// <param name="EventType">The provider's event type, when the scheme reveals one.</param>
/// <param name="Headers">The headers kept with it (the scheme's own and content type; never Authorization or cookies).</param>
/// <param name="BodyLength">The raw body's length in bytes (the body itself is read separately).</param>
public sealed record WebhookEvent(
    string Id,
    string OrganizationId,
    string ProjectId,
    string SourceId,
    string Scheme,
    string ProviderEventId,
    string? EventType,
    DateTimeOffset ReceivedAt,
    IReadOnlyDictionary<string, string> Headers,
    long BodyLength)
{
    public const string IdPrefix = "whe";
}
