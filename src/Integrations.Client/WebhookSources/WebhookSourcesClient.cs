namespace Integrations.Client.WebhookSources;

/// <summary>
/// A project's webhook sources (<c>/v1/projects/{projectId}/webhook-sources</c>): where providers (Stripe, GitHub, any Standard
/// Webhooks sender …) deliver, and how the hub verifies them. Create, read, list, change, delete, add a signing secret
/// (rotation), and the delivery counts. Reads need <c>webhooks:read</c>, changes <c>webhooks:write</c>. No answer holds a
/// secret value but the one the hub generated, in the answer that generated it.
/// </summary>
public sealed class WebhookSourcesClient
{
    private const string Collection = "v1/projects/{0}/webhook-sources";
    private const string Item = Collection + "/{1}";

    private readonly HubTransport _transport;

    internal WebhookSourcesClient(HubTransport transport) => _transport = transport;

    /// <summary>Creates a source; its <see cref="WebhookSource.Url"/> is where the provider delivers.</summary>
    /// <exception cref="HubValidationException">An unknown scheme, a secret of the wrong shape for it, a bad setting (<see cref="IntegrationsHubException.Field"/> says which).</exception>
    /// <exception cref="HubConflictException">The project has a source of that name.</exception>
    public Task<WebhookSource> CreateAsync(string projectId, NewWebhookSource source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        return _transport.SendAsync<WebhookSource>(HttpMethod.Post, HubTransport.Path(Collection, HubQuery.Required(projectId)), source, cancellationToken);
    }

    /// <summary>A source by id (<c>whs_…</c>).</summary>
    /// <exception cref="HubNotFoundException">No such source in the project.</exception>
    public Task<WebhookSource> GetAsync(string projectId, string sourceId, CancellationToken cancellationToken = default) =>
        _transport.SendAsync<WebhookSource>(HttpMethod.Get, HubTransport.Path(Item, HubQuery.Required(projectId), HubQuery.Required(sourceId)), null, cancellationToken);

    /// <summary>A page of the project's sources.</summary>
    public Task<Page<WebhookSource>> ListAsync(string projectId, int page = 1, int perPage = 20, CancellationToken cancellationToken = default) =>
        _transport.SendAsync<Page<WebhookSource>>(HttpMethod.Get,
            HubQuery.Page(HubTransport.Path(Collection, HubQuery.Required(projectId)), page, perPage).ToString(), null, cancellationToken);

    /// <summary>Changes a source's name, description, enabled or settings (the members of <paramref name="patch"/> that are set); validated whole, like a create.</summary>
    public Task<WebhookSource> UpdateAsync(string projectId, string sourceId, WebhookSourcePatch patch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(patch);
        return _transport.SendAsync<WebhookSource>(HttpMethod.Patch, HubTransport.Path(Item, HubQuery.Required(projectId), HubQuery.Required(sourceId)), patch, cancellationToken);
    }

    /// <summary>Deletes a source and its signing secrets; deliveries to its URL are refused from then on.</summary>
    public Task<DeletedWebhookSource> DeleteAsync(string projectId, string sourceId, CancellationToken cancellationToken = default) =>
        _transport.SendAsync<DeletedWebhookSource>(HttpMethod.Delete, HubTransport.Path(Item, HubQuery.Required(projectId), HubQuery.Required(sourceId)), null, cancellationToken);

    /// <summary>
    /// Adds a signing secret: <paramref name="secret"/> as the provider shows it, or null to have the hub generate one
    /// (<c>standard</c>, <c>hmac</c>; returned once in <see cref="WebhookSource.Secret"/>). The keys accepted so far stay accepted
    /// for <paramref name="expirePrevious"/> (hub default 24 h; zero: retired at once; at most 30 days), so a provider's rotation
    /// loses no delivery.
    /// </summary>
    public Task<WebhookSource> AddSecretAsync(
        string projectId, string sourceId, string? secret = null, TimeSpan? expirePrevious = null, CancellationToken cancellationToken = default)
    {
        var body = new SecretBody(secret, secret is null ? true : null, expirePrevious is { } expire ? (long)expire.TotalSeconds : null);
        return _transport.SendAsync<WebhookSource>(HttpMethod.Post,
            HubTransport.Path(Item + "/secrets", HubQuery.Required(projectId), HubQuery.Required(sourceId)), body, cancellationToken);
    }

    /// <summary>The source's deliveries by outcome since <paramref name="since"/> (hub default 24 h ago; at most 7 days).</summary>
    /// <exception cref="HubValidationException"><paramref name="since"/> is in the future or more than 7 days ago.</exception>
    public Task<WebhookSourceStats> GetStatsAsync(string projectId, string sourceId, DateTimeOffset? since = null, CancellationToken cancellationToken = default) =>
        _transport.SendAsync<WebhookSourceStats>(HttpMethod.Get,
            HubQuery.Since(HubTransport.Path(Item + "/stats", HubQuery.Required(projectId), HubQuery.Required(sourceId)), since), null, cancellationToken);

    private sealed record SecretBody(string? Secret, bool? GenerateSecret, long? ExpirePreviousInSeconds)
    {
        public override string ToString() => $"SecretBody {{ GenerateSecret = {GenerateSecret} }}";
    }
}
