namespace Integrations.Core.Webhooks;

/// <summary>
/// What ingress needs from the webhook sources: a source and its active keys by id (cached), the source a project-level
/// delivery is meant for (sniffing), and where a handshake's secret goes (Asana). Implemented over the sources'
/// resolver, sniffer and service.
/// </summary>
public interface IWebhookSourceLookup
{
    /// <summary>The enabled source <paramref name="sourceId"/> with its keys; null when unknown or disabled.</summary>
    Task<ResolvedWebhookSource?> ResolveAsync(string sourceId, CancellationToken cancellationToken = default);

    /// <summary>The enabled source of <paramref name="projectId"/> whose scheme <paramref name="headers"/> match, or why none is (unknown or ambiguous).</summary>
    Task<WebhookSniffResult> SniffAsync(string projectId, WebhookHeaders headers, CancellationToken cancellationToken = default);

    /// <summary>Stores a secret the provider handed over in a handshake as the source's signing secret; false when it could not.</summary>
    Task<bool> StoreHandshakeSecretAsync(WebhookSource source, string secret, CancellationToken cancellationToken = default);
}
