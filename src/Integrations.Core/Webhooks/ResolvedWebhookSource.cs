namespace Integrations.Core.Webhooks;

/// <summary>A source found for a delivery, with its signing keys unsealed (the lookup filters nothing by time: ingress does).</summary>
public sealed record ResolvedWebhookSource(WebhookSource Source, IReadOnlyList<WebhookSigningKey> Keys)
{
    public override string ToString() => $"ResolvedWebhookSource {{ Source = {Source.Id}, Keys = {Keys.Count} }}";
}
