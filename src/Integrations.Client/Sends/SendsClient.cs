using System.Text.Json;

namespace Integrations.Client.Sends;

/// <summary>
/// Direct sends (<c>/v1/projects/{projectId}/sends</c>): one outbound call the hub makes for you, to a URL or through a
/// connection (its credential injected), with templated body, an optional condition, and retries on the hub's queue. Needs
/// <c>sends:write</c> (through a connection also <c>connections:proxy</c>). A send is not a webhook message: it is not signed.
/// </summary>
public sealed class SendsClient
{
    private const string Collection = "v1/projects/{0}/sends";
    private const string Item = Collection + "/{1}";

    private readonly HubTransport _transport;

    internal SendsClient(HubTransport transport) => _transport = transport;

    /// <summary>
    /// Makes the send. Blocking (default): answers once the first attempt is done (<see cref="SendOutcome.Send"/>); retries, if any,
    /// run later on the hub's queue. Fire-and-forget: answers at once with the id. A false condition: <see cref="SendOutcome.Skipped"/>.
    /// </summary>
    /// <exception cref="HubValidationException">A field the hub refuses (<see cref="IntegrationsHubException.Field"/> says which), a condition it will not run.</exception>
    /// <exception cref="HubForbiddenException">Through a connection without <c>connections:proxy</c>, or denied by the connection's policy.</exception>
    public async Task<SendOutcome> CreateAsync(string projectId, NewSend send, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(send);
        var body = new CreateBody(send.Url?.AbsoluteUri, send.ConnectionId, send.Path, send.Method, send.Headers, send.Body, send.Context, send.Condition,
            send.FireAndForget ? "fire-and-forget" : "blocking", send.Timeout is { } timeout ? (int)timeout.TotalMilliseconds : null,
            send.RetryPolicy is { } retry ? new RetryBody(retry.Attempts, retry.Backoff is { } backoff ? (int)backoff.TotalMilliseconds : null, retry.Strategy) : null);
        var answer = await _transport.SendAsync<JsonElement>(HttpMethod.Post, HubTransport.Path(Collection, HubQuery.Required(projectId)), body, cancellationToken)
            .ConfigureAwait(false);

        // Three shapes: {skipped: true}; {id, status} (fire-and-forget, 202); the whole send (blocking).
        if (answer.TryGetProperty("skipped", out var skipped) && skipped.ValueKind == JsonValueKind.True)
        {
            return new SendOutcome(true, null, null, null);
        }

        if (!answer.TryGetProperty("mode", out _))
        {
            var accepted = answer.Deserialize<Accepted>(HubTransport.Json)!;
            return new SendOutcome(false, accepted.Id, accepted.Status, null);
        }

        var made = answer.Deserialize<Send>(HubTransport.Json)!;
        return new SendOutcome(false, made.Id, made.Status, made);
    }

    /// <summary>A send's status and every attempt.</summary>
    /// <exception cref="HubNotFoundException">No such send in the project.</exception>
    public Task<Send> GetAsync(string projectId, string sendId, CancellationToken cancellationToken = default) =>
        _transport.SendAsync<Send>(HttpMethod.Get, HubTransport.Path(Item, HubQuery.Required(projectId), HubQuery.Required(sendId)), null, cancellationToken);

    private sealed record CreateBody(
        string? Url, string? ConnectionId, string? Path, string Method, IReadOnlyDictionary<string, string>? Headers, JsonElement? Body, JsonElement? Context,
        string? Condition, string Mode, int? TimeoutMs, RetryBody? RetryPolicy)
    {
        public override string ToString() => $"CreateBody {{ Method = {Method}, Mode = {Mode} }}";
    }

    private sealed record RetryBody(int? Attempts, int? BackoffMs, string? Strategy);

    private sealed record Accepted(string Id, string Status);
}
