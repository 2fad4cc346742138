namespace Integrations.Core.Webhooks;

/// <summary>
/// One provider's signature scheme, implemented exactly as the provider documents it. Stateless and thread-safe: one
/// instance serves every source of the scheme. Comparisons are constant-time; every listed signature is tried against
/// every active key; timestamps are parsed as 64-bit integers and checked in both directions.
/// </summary>
public interface IWebhookScheme
{
    /// <summary>The scheme's name (<see cref="WebhookSchemes"/>).</summary>
    string Name { get; }

    /// <summary>
    /// Whether the headers look like this scheme's deliveries (its signature header is present): the project-level ingress
    /// route picks a source by this. Never verifies anything.
    /// </summary>
    bool Recognizes(WebhookHeaders headers);

    /// <summary>
    /// Verifies <paramref name="request"/> against <paramref name="keys"/> (already filtered to those active at the receive
    /// time) and reads the event id and type. Never throws for bad input: a refusal says why.
    /// </summary>
    WebhookVerification Verify(WebhookRequest request, IReadOnlyList<WebhookSigningKey> keys, WebhookSourceSettings settings);
}
