using System.Text.Json;

namespace Integrations.Client.Connections;

/// <summary>
/// The last handler of a user's <see cref="HttpClient"/> (<see cref="ConnectionsClient.CreateProxyHandler"/>): each request
/// goes to the hub's proxy route of one connection, <c>{ANY} /v1/projects/{projectId}/connections/{id}/proxy/{path}</c>,
/// which forwards it below the connection's base URL with the connection's credential injected.
/// </summary>
/// <remarks>
/// <para>
/// Addressing: the path and query of the request URI go below the connection's <c>base_url</c>; its scheme, host and port
/// are not used (the connection decides where the call goes), so <c>BaseAddress = https://api.github.com/</c> with a
/// <c>base_url</c> of <c>https://api.github.com</c> reads as the upstream's own URLs. Method, body and content headers go
/// as they are; request headers too, except the user's <c>Authorization</c> and <c>Cookie</c> (the hub's <c>Authorization</c>
/// is the client's API key, and the hub would drop both anyway), <c>Host</c>, <c>Expect</c>, the hop-by-hop headers
/// (RFC 9110 §7.6.1, with those a <c>Connection</c> header names) and the hub's development header <c>X-Principal-Id</c>.
/// <c>Hub-Auth: none</c> on a request is the hub's own switch: sent without the connection's credential. Nothing is
/// decompressed (this handler replaces the one that would): send <c>Accept-Encoding</c> and the encoded body comes back.
/// </para>
/// <para>
/// Answers: the hub marks every answer of a proxied call with <c>X-Hub-Attempts</c> (how many attempts the upstream call
/// took). An answer without it is the hub's own — nothing was sent (unauthenticated, missing scope, unknown or disabled
/// connection, invalid path, policy denial, rate limit) — and becomes the typed <see cref="IntegrationsHubException"/>. With
/// it, the answer is the upstream's and comes back unchanged, 4xx and 5xx included, streamed (never buffered here) —
/// except a 5xx problem details body whose <c>type</c> is the hub's (<c>urn:integrations-hub:problem:…</c>): the hub could
/// not reach the upstream (refused target, unreachable, timeout, open circuit) or could not record the call, and that is an
/// exception too. (An upstream that is itself an Integrations Hub would have its own 5xx problems read as the proxying hub's.)
/// </para>
/// <para>
/// Not retried: a proxied call may be a write the upstream must not see twice, and the hub's proxy already retries it by
/// error class, so the request carries <see cref="ConnectionsClient.ProxiedRequestOption"/> and the client's 429/503 retries
/// leave it alone. A new request is built for each call (an <see cref="HttpRequestMessage"/> cannot be sent twice, and the
/// user's must stay as it was); it shares the user's content, which the user's request owns and disposes.
/// </para>
/// </remarks>
internal sealed class ConnectionProxyHandler : HttpMessageHandler
{
    /// <summary>Set by the hub on every answer of a proxied call (upstream answers and post-send failures alike).</summary>
    internal const string AttemptsHeader = "X-Hub-Attempts";

    private const string ProblemTypePrefix = "urn:integrations-hub:problem:";

    private static readonly HashSet<string> NotForwarded = new(StringComparer.OrdinalIgnoreCase)
    {
        "Authorization", "Cookie", "Host", "Expect", "X-Principal-Id",
        "Connection", "Keep-Alive", "Proxy-Connection", "Proxy-Authorization", "TE", "Trailer", "Transfer-Encoding", "Upgrade",
    };

    private readonly HubTransport _transport;
    private readonly string _projectId;
    private readonly string _connection;
    private readonly Func<string, string, CancellationToken, Task<string>> _resolveId;
    private readonly object _gate = new();
    private Task<string>? _id;

    internal ConnectionProxyHandler(HubTransport transport, string projectId, string connection, Func<string, string, CancellationToken, Task<string>> resolveId)
    {
        _transport = transport;
        _projectId = projectId;
        _connection = connection;
        _resolveId = resolveId;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var id = await ConnectionIdAsync(cancellationToken).ConfigureAwait(false);
        // Not disposed: disposing a request disposes its content, which is the user's (their request disposes it).
#pragma warning disable CA2000 // See above; the message holds nothing else to release.
        var outgoing = new HttpRequestMessage(request.Method, ProxyUri(id, request.RequestUri)) { Content = request.Content };
#pragma warning restore CA2000
        foreach (var header in ForwardedHeaders(request))
        {
            outgoing.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        outgoing.Options.Set(ConnectionsClient.ProxiedRequestOption, true);
        var response = await _transport.SendStreamingAsync(outgoing, cancellationToken).ConfigureAwait(false);
        if (await IsHubProblemAsync(response, cancellationToken).ConfigureAwait(false))
        {
            using (response)
            {
                var error = (int)response.StatusCode < 400
                    ? new IntegrationsHubException($"The answer to a proxied call ({(int)response.StatusCode}) came without {AttemptsHeader}: is {_transport.BaseAddress} the hub, with nothing in between that drops X-Hub-* headers?")
                    : await HubTransport.ToExceptionAsync(response, cancellationToken).ConfigureAwait(false);
                if (error is HubNotFoundException)
                {
                    // The connection may be gone, or renamed: the next call looks its name up again.
                    ForgetId();
                }

                throw error;
            }
        }

        // The user's HttpClient (and their handlers) see their own request, not the hub's address.
        response.RequestMessage = request;
        return response;
    }

    private Uri ProxyUri(string connectionId, Uri? requestUri)
    {
        var pathAndQuery = requestUri is null ? "/"
            : requestUri.IsAbsoluteUri ? requestUri.GetComponents(UriComponents.PathAndQuery, UriFormat.UriEscaped)
            : requestUri.OriginalString;
        if (!pathAndQuery.StartsWith('/'))
        {
            pathAndQuery = "/" + pathAndQuery;
        }

        return new Uri(_transport.BaseAddress, HubTransport.Path("v1/projects/{0}/connections/{1}/proxy", _projectId, connectionId) + pathAndQuery);
    }

    private static IEnumerable<KeyValuePair<string, IEnumerable<string>>> ForwardedHeaders(HttpRequestMessage request)
    {
        // RFC 9110 §7.6.1: "Connection: close, X-Foo" makes X-Foo hop-by-hop too.
        var named = new HashSet<string>(request.Headers.Connection, StringComparer.OrdinalIgnoreCase);
        return request.Headers.NonValidated
            .Where(h => !NotForwarded.Contains(h.Key) && !named.Contains(h.Key))
            .Select(h => KeyValuePair.Create(h.Key, (IEnumerable<string>)h.Value));
    }

    /// <summary>Whether the hub answered for itself (an error of the hub, not of the upstream).</summary>
    private static async Task<bool> IsHubProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (!response.Headers.Contains(AttemptsHeader))
        {
            // Refused before anything was sent. A success without the header is no proxied answer either: BaseAddress is
            // not the hub (or something in between strips X-Hub-*); a typed error beats passing off a stranger's 200.
            return true;
        }

        if ((int)response.StatusCode < 500 || response.Content.Headers.ContentType?.MediaType != "application/problem+json")
        {
            return false;
        }

        // Reading buffers the body, so an upstream's own problem details can still be handed back whole.
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var body = JsonDocument.Parse(text);
            return body.RootElement.ValueKind == JsonValueKind.Object
                && body.RootElement.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String
                && type.GetString()!.StartsWith(ProblemTypePrefix, StringComparison.Ordinal);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private Task<string> ConnectionIdAsync(CancellationToken cancellationToken)
    {
        if (_connection.StartsWith(ConnectionsClient.IdPrefix, StringComparison.Ordinal))
        {
            return Task.FromResult(_connection);
        }

        Task<string> id;
        lock (_gate)
        {
            if (_id is null || _id.IsFaulted || _id.IsCanceled)
            {
                // One lookup for all callers, free of any one caller's cancellation; each caller's wait honours its own.
                _id = Task.Run(() => _resolveId(_projectId, _connection, CancellationToken.None), CancellationToken.None);
            }

            id = _id;
        }

        return id.WaitAsync(cancellationToken);
    }

    private void ForgetId()
    {
        lock (_gate)
        {
            _id = null;
        }
    }
}
