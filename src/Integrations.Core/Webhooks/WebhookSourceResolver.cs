using Integrations.Core.Common;
using Integrations.Core.Vault;
using Microsoft.Extensions.Logging;

namespace Integrations.Core.Webhooks;

/// <summary>
/// The public ingress route's view of a source: by id alone, enabled, with the keys a delivery may be signed with. On the
/// hot path, so kept per instance for <see cref="WebhookSourceOptions.SourceCacheDuration"/> (see <see cref="WebhookSourceCache"/>):
/// a delivery costs no storage read while its source is cached. Keys are filtered at every call, so a key whose overlap
/// ended is refused from that moment even while the entry is cached.
/// </summary>
public sealed partial class WebhookSourceResolver(
    IWebhookSourceStore store, VaultService vault, WebhookSourceCache cache, TimeProvider time, ILogger<WebhookSourceResolver> logger)
{
    /// <summary>The source and its keys accepted now; null when unknown, disabled or deleted.</summary>
    public Task<ResolvedWebhookSource?> ResolveAsync(string sourceId, CancellationToken cancellationToken = default) =>
        ResolveAsync(sourceId, time.GetUtcNow(), cancellationToken);

    /// <summary>The source and its keys accepted at <paramref name="receivedAt"/>; null when unknown, disabled or deleted.</summary>
    public async Task<ResolvedWebhookSource?> ResolveAsync(string sourceId, DateTimeOffset receivedAt, CancellationToken cancellationToken = default)
    {
        // An id of the wrong shape costs no storage read and builds no storage key.
        if (!Ids.IsValid(WebhookSource.IdPrefix, sourceId))
        {
            return null;
        }

        var loaded = await cache.Sources.GetOrLoadAsync(sourceId, LoadAsync, static l => l.Source is not null, cancellationToken).ConfigureAwait(false);
        if (loaded.Source is not { Enabled: true } source)
        {
            return null;
        }

        return new ResolvedWebhookSource(source, loaded.Keys.Where(k => k.IsActiveAt(receivedAt)).ToArray());
    }

    private async Task<CachedWebhookSource> LoadAsync(string sourceId, CancellationToken cancellationToken)
    {
        var source = await store.FindAsync(sourceId, cancellationToken).ConfigureAwait(false);
        if (source is null)
        {
            return CachedWebhookSource.Missing;
        }

        if (!source.Enabled)
        {
            return new CachedWebhookSource(source, []);
        }

        var now = time.GetUtcNow();
        var keys = await Task.WhenAll(source.Keys.Where(k => k.NotAfter is null || k.NotAfter > now)
            .Select(k => UnsealAsync(source, k, cancellationToken))).ConfigureAwait(false);
        return new CachedWebhookSource(source, keys.OfType<WebhookSigningKey>().ToArray());
    }

    private async Task<WebhookSigningKey?> UnsealAsync(WebhookSource source, WebhookSourceKey key, CancellationToken cancellationToken)
    {
        var revealed = await vault.RevealAsync(new SecretLocation(source.OrganizationId, source.ProjectId, key.SecretName), null, cancellationToken).ConfigureAwait(false);
        if (!revealed.IsSuccess)
        {
            // The source names a secret the vault no longer has: that key cannot verify anything; the others still can.
            Log.KeySecretMissing(logger, source.Id, key.Id);
            return null;
        }

        return new WebhookSigningKey(key.Id, revealed.Value.Value, key.NotAfter);
    }

    // Event ids 9100-9149 are webhook sources'.
    private static partial class Log
    {
        [LoggerMessage(EventId = 9110, Level = LogLevel.Error, Message = "Webhook source {SourceId} names key {KeyId} whose vault secret is missing: the key is skipped.")]
        public static partial void KeySecretMissing(ILogger logger, string sourceId, string keyId);
    }
}
