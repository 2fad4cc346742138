namespace Integrations.Client.Messages;

/// <summary>
/// A project's outbound messages (<c>/v1/projects/{projectId}/messages</c>): send one to every endpoint whose filter matches,
/// list, read with its deliveries, list its attempts, and deliver it again. Sends and replays need <c>messages:write</c>,
/// reads <c>webhooks:read</c>.
/// </summary>
public sealed class MessagesClient
{
    private const string Collection = "v1/projects/{0}/messages";
    private const string Item = Collection + "/{1}";

    private readonly HubTransport _transport;

    internal MessagesClient(HubTransport transport) => _transport = transport;

    /// <summary>
    /// Sends a message: stored, and one delivery queued per enabled endpoint whose filter matches. With an
    /// <see cref="NewMessage.IdempotencyKey"/>, a retry of this call within 24 h answers the first message and delivers nothing again.
    /// </summary>
    /// <exception cref="HubValidationException">An invalid event type or idempotency key.</exception>
    /// <exception cref="HubPayloadTooLargeException">The payload is larger than the hub accepts.</exception>
    public Task<MessageAccepted> SendAsync(string projectId, NewMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentException.ThrowIfNullOrEmpty(message.EventType);
        return _transport.SendAsync<MessageAccepted>(HttpMethod.Post, HubTransport.Path(Collection, HubQuery.Required(projectId)), message, cancellationToken);
    }

    /// <summary>One message with its payload and its delivery to each endpoint.</summary>
    /// <exception cref="HubNotFoundException">No such message in the project.</exception>
    public Task<Message> GetAsync(string projectId, string messageId, CancellationToken cancellationToken = default) =>
        _transport.SendAsync<Message>(HttpMethod.Get, ItemPath(projectId, messageId), null, cancellationToken);

    /// <summary>The project's messages, newest first (no payloads), filtered by event type and time when <paramref name="query"/> says so.</summary>
    public Task<Page<MessageSummary>> ListAsync(string projectId, MessageQuery? query = null, CancellationToken cancellationToken = default)
    {
        query ??= new MessageQuery();
        var path = HubQuery.Page(HubTransport.Path(Collection, HubQuery.Required(projectId)), query.Page, query.PerPage)
            .Append("event_type", query.EventType).Append("since", query.Since);
        return _transport.SendAsync<Page<MessageSummary>>(HttpMethod.Get, path.ToString(), null, cancellationToken);
    }

    /// <summary>Every delivery attempt of the message, oldest first.</summary>
    public async Task<IReadOnlyList<DeliveryAttempt>> ListAttemptsAsync(string projectId, string messageId, CancellationToken cancellationToken = default) =>
        (await _transport.SendAsync<AttemptsBody>(HttpMethod.Get, ItemPath(projectId, messageId) + "/attempts", null, cancellationToken).ConfigureAwait(false)).Data;

    /// <summary>
    /// Delivers the message again: to <paramref name="endpointId"/> only, or (null) to every endpoint it went to, plus any
    /// endpoint that subscribes now and had none. Each delivery goes back to pending with a new attempt.
    /// </summary>
    public Task<MessageReplay> ReplayAsync(string projectId, string messageId, string? endpointId = null, CancellationToken cancellationToken = default) =>
        _transport.SendAsync<MessageReplay>(HttpMethod.Post, ItemPath(projectId, messageId) + "/replay", new ReplayBody(endpointId), cancellationToken);

    private static string ItemPath(string projectId, string messageId) => HubTransport.Path(Item, HubQuery.Required(projectId), HubQuery.Required(messageId));

    private sealed record ReplayBody(string? EndpointId);

    private sealed record AttemptsBody(string MessageId, IReadOnlyList<DeliveryAttempt> Data);
}
