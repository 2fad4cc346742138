using Integrations.Core.Common;
using Integrations.Core.Events;
using Integrations.Core.Vault;
using Microsoft.Extensions.Logging;

namespace Integrations.Core.OutboundWebhooks;

/// <summary>
/// <see cref="IWebhookEndpointDirectory"/> over the endpoint store and the vault, through <see cref="WebhookEndpointCache"/>:
/// a warm call (the project's endpoints and the endpoint's secrets read within <c>Webhooks:EndpointCacheDuration</c>) reads
/// no storage. Concurrent cold calls for the same project share one read.
/// </summary>
public sealed partial class WebhookEndpointDirectory(
    IWebhookEndpointStore store, VaultService vault, WebhookEndpointCache cache, EventWriter events, TimeProvider time,
    ILogger<WebhookEndpointDirectory> logger) : IWebhookEndpointDirectory
{
    /// <summary>The longest reason stored and sent in an <c>endpoint.disabled</c> event.</summary>
    public const int MaxReasonLength = 500;

    private const int MaxAttempts = 16;

    public async Task<IReadOnlyList<WebhookEndpoint>> ListSubscribedAsync(string organizationId, string projectId, string eventType, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventType);
        var endpoints = await ProjectAsync(organizationId, projectId, cancellationToken).ConfigureAwait(false);
        List<WebhookEndpoint>? subscribed = null;
        foreach (var endpoint in endpoints)
        {
            if (endpoint.Enabled && EventTypeFilter.Matches(endpoint.EventTypes, eventType))
            {
                (subscribed ??= new List<WebhookEndpoint>(endpoints.Count)).Add(endpoint);
            }
        }

        return subscribed ?? (IReadOnlyList<WebhookEndpoint>)[];
    }

    public async Task<DeliveryTarget?> GetTargetAsync(string organizationId, string projectId, string endpointId, CancellationToken cancellationToken = default)
    {
        var endpoints = await ProjectAsync(organizationId, projectId, cancellationToken).ConfigureAwait(false);
        WebhookEndpoint? endpoint = null;
        foreach (var candidate in endpoints)
        {
            if (string.Equals(candidate.Id, endpointId, StringComparison.Ordinal))
            {
                endpoint = candidate;
                break;
            }
        }

        if (endpoint is null)
        {
            return null;
        }

        // The keys the row names (newest first) decide the cache entry; which of them sign is decided now, per call.
        var now = time.GetUtcNow();
        var keys = endpoint.Keys;
        var secrets = await cache.Secrets.GetOrLoadAsync(WebhookEndpointCache.SecretsKey(endpoint, keys),
            (_, ct) => LoadSecretsAsync(endpoint, ct), s => s.Complete, cancellationToken).ConfigureAwait(false);
        var values = new List<string>(keys.Count);
        foreach (var key in keys)
        {
            if ((key.NotAfter is null || key.NotAfter > now) && secrets.ValuesByKeyId.TryGetValue(key.Id, out var value))
            {
                values.Add(value);
            }
        }

        return new DeliveryTarget(endpoint, values);
    }

    public async Task<bool> DisableAsync(string organizationId, string projectId, string endpointId, string reason, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(reason);
        if (!ValidIds(organizationId, projectId) || !Ids.IsValid(WebhookEndpoint.IdPrefix, endpointId))
        {
            return false;
        }

        var stored = PrintableText.IsPrintable(reason) ? reason[..Math.Min(reason.Length, MaxReasonLength)] : "disabled by the hub";
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var current = await store.GetAsync(organizationId, projectId, endpointId, cancellationToken).ConfigureAwait(false);
            if (current is null || !current.Enabled)
            {
                cache.Invalidate(organizationId, projectId);
                return false;
            }

            var outcome = await store.TryUpdateAsync(current with { Enabled = false, DisabledReason = stored, UpdatedAt = time.GetUtcNow() }, cancellationToken)
                .ConfigureAwait(false);
            if (outcome == WriteOutcome.NotFound)
            {
                cache.Invalidate(organizationId, projectId);
                return false;
            }

            if (outcome != WriteOutcome.Written)
            {
                continue;
            }

            cache.Invalidate(organizationId, projectId);
            Log.Disabled(logger, endpointId, stored);
            await events.AppendAsync(organizationId, projectId, HubEventTypes.EndpointDisabled, endpointId,
                new Dictionary<string, string>(StringComparer.Ordinal) { ["endpoint_id"] = endpointId, ["reason"] = stored }, cancellationToken).ConfigureAwait(false);
            return true;
        }

        // Many writers at once: one of them disables it; this caller's next delivery sees the result.
        Log.DisableContended(logger, endpointId);
        return false;
    }

    private async Task<IReadOnlyList<WebhookEndpoint>> ProjectAsync(string organizationId, string projectId, CancellationToken cancellationToken)
    {
        if (!ValidIds(organizationId, projectId))
        {
            return [];
        }

        return await cache.Projects.GetOrLoadAsync(WebhookEndpointCache.ProjectKey(organizationId, projectId),
            (_, ct) => store.ListAllAsync(organizationId, projectId, ct), static _ => true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The values of the keys that sign at load time; a value that cannot be read is left out (and the entry not kept).</summary>
    private async Task<CachedSecrets> LoadSecretsAsync(WebhookEndpoint endpoint, CancellationToken cancellationToken)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var complete = true;
        foreach (var key in endpoint.ActiveKeysAt(time.GetUtcNow()))
        {
            var revealed = await vault.RevealAsync(new SecretLocation(endpoint.OrganizationId, endpoint.ProjectId, key.SecretName), null, cancellationToken)
                .ConfigureAwait(false);
            if (revealed.IsSuccess)
            {
                values[key.Id] = revealed.Value!.Value;
            }
            else
            {
                complete = false;
                Log.SecretUnreadable(logger, endpoint.Id, key.Id, revealed.Error!.Code);
            }
        }

        return new CachedSecrets(values, complete);
    }

    private static bool ValidIds(string organizationId, string projectId) => Ids.IsValid("org", organizationId) && Ids.IsValid("prj", projectId);

    // Event ids 9300-9349 are outbound webhook endpoints'.
    private static partial class Log
    {
        [LoggerMessage(EventId = 9310, Level = LogLevel.Warning, Message = "Webhook endpoint {EndpointId} was disabled by the hub: {Reason}.")]
        public static partial void Disabled(ILogger logger, string endpointId, string reason);

        [LoggerMessage(EventId = 9311, Level = LogLevel.Warning, Message = "Webhook endpoint {EndpointId} could not be disabled: too many concurrent changes.")]
        public static partial void DisableContended(ILogger logger, string endpointId);

        [LoggerMessage(EventId = 9312, Level = LogLevel.Error, Message = "The signing secret of key {KeyId} of webhook endpoint {EndpointId} could not be read ({Code}).")]
        public static partial void SecretUnreadable(ILogger logger, string endpointId, string keyId, string code);
    }
}
