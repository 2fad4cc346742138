namespace Integrations.Client.WebhookSources;

/// <summary>
/// The webhook events a project's sources received (<c>/v1/projects/{projectId}/events</c>): list (metadata), read one with its
/// raw body, and replay one through the project's queue and the hub's own handlers. Reads need <c>webhooks:read</c>, a replay
/// <c>webhooks:write</c>.
/// </summary>
public sealed class WebhookEventsClient
{
    private const string Collection = "v1/projects/{0}/events";
    private const string Item = Collection + "/{1}";

    private readonly HubTransport _transport;

    internal WebhookEventsClient(HubTransport transport) => _transport = transport;

    /// <summary>The project's received events, newest first; filtered by source, type and time when <paramref name="query"/> says so.</summary>
    /// <exception cref="HubValidationException">A source that is not a source id, a type too long.</exception>
    public Task<Page<ReceivedWebhookEvent>> ListAsync(string projectId, WebhookEventQuery? query = null, CancellationToken cancellationToken = default)
    {
        query ??= new WebhookEventQuery();
        var path = HubQuery.Page(HubTransport.Path(Collection, HubQuery.Required(projectId)), query.Page, query.PerPage)
            .Append("source", query.SourceId).Append("type", query.Type).Append("since", query.Since);
        return _transport.SendAsync<Page<ReceivedWebhookEvent>>(HttpMethod.Get, path.ToString(), null, cancellationToken);
    }

    /// <summary>One event with its raw body (<see cref="ReceivedWebhookEventDetail.DecodeBody"/>) and the headers kept with it.</summary>
    /// <exception cref="HubNotFoundException">No such event in the project.</exception>
    public Task<ReceivedWebhookEventDetail> GetAsync(string projectId, string eventId, CancellationToken cancellationToken = default) =>
        _transport.SendAsync<ReceivedWebhookEventDetail>(HttpMethod.Get, HubTransport.Path(Item, HubQuery.Required(projectId), HubQuery.Required(eventId)), null, cancellationToken);

    /// <summary>Puts an event back on the project's queue (a new message with the same event id) and runs the hub's handlers on it again.</summary>
    /// <exception cref="HubNotFoundException">No such event in the project.</exception>
    public Task<WebhookEventReplay> ReplayAsync(string projectId, string eventId, CancellationToken cancellationToken = default) =>
        _transport.SendAsync<WebhookEventReplay>(HttpMethod.Post,
            HubTransport.Path(Item + "/replay", HubQuery.Required(projectId), HubQuery.Required(eventId)), null, cancellationToken);
}
