namespace Integrations.Core.Webhooks;

/// <summary>An enabled source and its signing keys accepted at the receive time (empty for an <c>asana</c> source before its handshake).</summary>
public sealed record ResolvedWebhookSource(WebhookSource Source, IReadOnlyList<WebhookSigningKey> Keys)
{
    public override string ToString() => $"ResolvedWebhookSource {{ Source = {Source.Id}, Scheme = {Source.Scheme}, Keys = {Keys.Count} }}";
}
