using Integrations.Core.Webhooks;
using Microsoft.Extensions.Options;

namespace Integrations.Core.OutboundWebhooks;

/// <summary>
/// This instance's memory of what deliveries read per message: a project's endpoints (by organization and project) and the
/// values of an endpoint's signing secrets (by endpoint and key set). Entries live <see cref="WebhookOptions.EndpointCacheDuration"/>
/// (0 = nothing kept); <see cref="WebhookEndpointService"/> and <see cref="WebhookEndpointDirectory"/> remove a project's
/// entry after every change they write, so this instance never serves a stale endpoint; other instances serve theirs until it
/// expires. Secret entries need no removal: their key names the endpoint's key ids, and a vault secret of a given name never
/// changes its value, so a rotation simply reads under a new key. Bounded: past <see cref="MaxEntries"/> live entries of a
/// kind, new keys are read without being kept.
/// </summary>
public sealed class WebhookEndpointCache(TimeProvider time, IOptions<WebhookOptions> options)
{
    public const int MaxEntries = 10_000;

    internal ExpiringCache<IReadOnlyList<WebhookEndpoint>> Projects { get; } = new(time, options.Value.EndpointCacheDuration, MaxEntries);

    internal ExpiringCache<CachedSecrets> Secrets { get; } = new(time, options.Value.EndpointCacheDuration, MaxEntries);

    /// <summary>Forgets the project's endpoints: the next read goes to storage.</summary>
    public void Invalidate(string organizationId, string projectId) => Projects.Remove(ProjectKey(organizationId, projectId));

    internal static string ProjectKey(string organizationId, string projectId) => organizationId + "_" + projectId;

    internal static string SecretsKey(WebhookEndpoint endpoint, IReadOnlyList<EndpointSigningKey> keys) =>
        $"{endpoint.OrganizationId}_{endpoint.ProjectId}_{endpoint.Id}:{string.Join(',', keys.Select(k => k.Id))}";
}

/// <summary>Secret values by key id. <see cref="ToString"/> never prints them.</summary>
internal sealed record CachedSecrets(IReadOnlyDictionary<string, string> ValuesByKeyId, bool Complete)
{
    public override string ToString() => $"CachedSecrets {{ Keys = {ValuesByKeyId.Count}, Complete = {Complete} }}";
}
