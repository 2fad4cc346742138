using Integrations.Client.Messages;

namespace Integrations.Client.WebhookEndpoints;

/// <summary>
/// A project's outbound webhook endpoints (<c>/v1/projects/{projectId}/webhook-endpoints</c>): register, read, list, change,
/// delete; rotate and reveal the signing secret; recover failed deliveries, list attempts, count outcomes. Reads need
/// <c>webhooks:read</c>, changes <c>webhooks:write</c>, recover <c>messages:write</c>, a reveal also <c>secrets:reveal</c> (audited).
/// Receivers verify the deliveries with <c>WebhookVerifier</c>.
/// </summary>
public sealed class WebhookEndpointsClient
{
    private const string Collection = "v1/projects/{0}/webhook-endpoints";
    private const string Item = Collection + "/{1}";

    private readonly HubTransport _transport;

    internal WebhookEndpointsClient(HubTransport transport) => _transport = transport;

    /// <summary>Registers an endpoint; the hub generates its signing secret.</summary>
    /// <exception cref="HubValidationException">A URL the hub refuses (not http(s), a private address …), a bad filter or setting.</exception>
    public Task<WebhookEndpoint> CreateAsync(string projectId, NewWebhookEndpoint endpoint, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return _transport.SendAsync<WebhookEndpoint>(HttpMethod.Post, HubTransport.Path(Collection, HubQuery.Required(projectId)), endpoint, cancellationToken);
    }

    /// <summary>An endpoint by id (<c>wep_…</c>).</summary>
    /// <exception cref="HubNotFoundException">No such endpoint in the project.</exception>
    public Task<WebhookEndpoint> GetAsync(string projectId, string endpointId, CancellationToken cancellationToken = default) =>
        _transport.SendAsync<WebhookEndpoint>(HttpMethod.Get, ItemPath(projectId, endpointId), null, cancellationToken);

    /// <summary>A page of the project's endpoints.</summary>
    public Task<Page<WebhookEndpoint>> ListAsync(string projectId, int page = 1, int perPage = 20, CancellationToken cancellationToken = default) =>
        _transport.SendAsync<Page<WebhookEndpoint>>(HttpMethod.Get,
            HubQuery.Page(HubTransport.Path(Collection, HubQuery.Required(projectId)), page, perPage).ToString(), null, cancellationToken);

    /// <summary>Changes the members of <paramref name="patch"/> that are set; validated whole, like a create.</summary>
    public Task<WebhookEndpoint> UpdateAsync(string projectId, string endpointId, WebhookEndpointPatch patch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(patch);
        return _transport.SendAsync<WebhookEndpoint>(HttpMethod.Patch, ItemPath(projectId, endpointId), patch, cancellationToken);
    }

    /// <summary>Deletes an endpoint and its signing secrets.</summary>
    public Task<DeletedWebhookEndpoint> DeleteAsync(string projectId, string endpointId, CancellationToken cancellationToken = default) =>
        _transport.SendAsync<DeletedWebhookEndpoint>(HttpMethod.Delete, ItemPath(projectId, endpointId), null, cancellationToken);

    /// <summary>
    /// Rotates the signing secret: a new one signs from now on, and the previous one keeps signing alongside it for the hub's
    /// overlap (<c>Webhooks:SecretRotationOverlap</c>, 24 h), so receivers can switch without losing a delivery.
    /// </summary>
    public Task<WebhookEndpoint> RotateSecretAsync(string projectId, string endpointId, CancellationToken cancellationToken = default) =>
        _transport.SendAsync<WebhookEndpoint>(HttpMethod.Post, ItemPath(projectId, endpointId) + "/secret/rotate", null, cancellationToken);

    /// <summary>The secrets that sign now, newest first. Needs <c>webhooks:read</c> and <c>secrets:reveal</c>; audited at the hub.</summary>
    /// <exception cref="HubForbiddenException">The key lacks <c>secrets:reveal</c>.</exception>
    public Task<RevealedEndpointSecrets> RevealSecretsAsync(string projectId, string endpointId, CancellationToken cancellationToken = default) =>
        _transport.SendAsync<RevealedEndpointSecrets>(HttpMethod.Post, ItemPath(projectId, endpointId) + "/secret/reveal", null, cancellationToken);

    /// <summary>
    /// Delivers again every failed delivery of the endpoint created since <paramref name="since"/> (at most 1000 a call;
    /// <see cref="EndpointRecovery.More"/> says to call again). Needs <c>messages:write</c>.
    /// </summary>
    /// <exception cref="HubValidationException"><paramref name="since"/> is in the future.</exception>
    public Task<EndpointRecovery> RecoverAsync(string projectId, string endpointId, DateTimeOffset since, CancellationToken cancellationToken = default) =>
        _transport.SendAsync<EndpointRecovery>(HttpMethod.Post, ItemPath(projectId, endpointId) + "/recover", new RecoverBody(since), cancellationToken);

    /// <summary>The endpoint's delivery attempts since <paramref name="since"/> (hub default 24 h ago), newest first.</summary>
    public Task<Page<DeliveryAttempt>> ListAttemptsAsync(
        string projectId, string endpointId, DateTimeOffset? since = null, int page = 1, int perPage = 20, CancellationToken cancellationToken = default) =>
        _transport.SendAsync<Page<DeliveryAttempt>>(HttpMethod.Get,
            HubQuery.Page(ItemPath(projectId, endpointId) + "/attempts", page, perPage).Append("since", since).ToString(), null, cancellationToken);

    /// <summary>The endpoint's outcomes since <paramref name="since"/> (hub default 24 h ago, at most 7 days).</summary>
    public Task<EndpointStats> GetStatsAsync(string projectId, string endpointId, DateTimeOffset? since = null, CancellationToken cancellationToken = default) =>
        _transport.SendAsync<EndpointStats>(HttpMethod.Get, HubQuery.Since(ItemPath(projectId, endpointId) + "/stats", since), null, cancellationToken);

    private static string ItemPath(string projectId, string endpointId) => HubTransport.Path(Item, HubQuery.Required(projectId), HubQuery.Required(endpointId));

    private sealed record RecoverBody(DateTimeOffset Since);
}
