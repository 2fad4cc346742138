using Integrations.Core.Webhooks;

namespace Integrations.Api.Webhooks;

/// <summary>
/// The source lookup until the webhook sources are registered: every source is unknown (404) and a handshake secret cannot
/// be stored (503). The sources' registration replaces it.
/// </summary>
/// <remarks>
/// TODO(lead): when i9-sources is merged, register an adapter over WebhookSourceResolver.ResolveAsync,
/// WebhookSourceSniffer and WebhookSourceService.StoreHandshakeSecretAsync (Asana's X-Hook-Secret) in its place.
/// </remarks>
public sealed class UnconfiguredWebhookSourceLookup : IWebhookSourceLookup
{
    public Task<ResolvedWebhookSource?> ResolveAsync(string sourceId, CancellationToken cancellationToken = default) =>
        Task.FromResult<ResolvedWebhookSource?>(null);

    public Task<WebhookSniffResult> SniffAsync(string projectId, WebhookHeaders headers, CancellationToken cancellationToken = default) =>
        Task.FromResult(WebhookSniffResult.UnknownProject);

    public Task<bool> StoreHandshakeSecretAsync(WebhookSource source, string secret, CancellationToken cancellationToken = default) => Task.FromResult(false);
}
