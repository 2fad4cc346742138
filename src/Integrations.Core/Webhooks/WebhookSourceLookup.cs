namespace Integrations.Core.Webhooks;

/// <summary>Ingress's view of the webhook sources: the sources' resolver (cached), sniffer and service.</summary>
public sealed class WebhookSourceLookup(WebhookSourceResolver resolver, WebhookSourceSniffer sniffer, WebhookSourceService service) : IWebhookSourceLookup
{
    public Task<ResolvedWebhookSource?> ResolveAsync(string sourceId, CancellationToken cancellationToken = default) =>
        resolver.ResolveAsync(sourceId, cancellationToken);

    public Task<WebhookSniffResult> SniffAsync(string projectId, WebhookHeaders headers, CancellationToken cancellationToken = default) =>
        sniffer.SniffAsync(projectId, headers, cancellationToken);

    public async Task<bool> StoreHandshakeSecretAsync(WebhookSource source, string secret, CancellationToken cancellationToken = default) =>
        (await service.StoreHandshakeSecretAsync(source, secret, cancellationToken).ConfigureAwait(false)).IsSuccess;
}
