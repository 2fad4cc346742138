using System.Globalization;

namespace Integrations.Client.Connections;

/// <summary>
/// A project's connections (<c>/v1/projects/{projectId}/connections</c>): create, read, connect (authorize, grant) and the
/// access token, cached in this process until shortly before it expires (<see cref="GetAccessTokenAsync"/>).
/// </summary>
public sealed class ConnectionsClient
{
    /// <summary>The prefix of a connection id; anything else given where a connection is named is taken as its name.</summary>
    public const string IdPrefix = "con_";

    private const string Collection = "v1/projects/{0}/connections";
    private const string Item = Collection + "/{1}";
    private const int ListPageSize = 100;

    private readonly HubTransport _transport;
    private readonly AccessTokenCache _tokens;

    internal ConnectionsClient(HubTransport transport, TimeProvider timeProvider, TimeSpan refreshBeforeExpiry)
    {
        _transport = transport;
        _tokens = new AccessTokenCache(FetchTokenAsync, timeProvider, refreshBeforeExpiry);
    }

    /// <summary>Creates a connection; OAuth types start <c>pending</c> until connected (<see cref="AuthorizeAsync"/>, <see cref="GrantAsync"/>).</summary>
    public Task<Connection> CreateAsync(string projectId, NewConnection connection, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(projectId);
        ArgumentNullException.ThrowIfNull(connection);
        return _transport.SendAsync<Connection>(HttpMethod.Post, HubTransport.Path(Collection, projectId), connection, cancellationToken);
    }

    /// <summary>A connection by id (<c>con_…</c>) or by name.</summary>
    public async Task<Connection> GetAsync(string projectId, string connection, CancellationToken cancellationToken = default)
    {
        var id = await ResolveIdAsync(projectId, connection, cancellationToken).ConfigureAwait(false);
        return await _transport.SendAsync<Connection>(HttpMethod.Get, HubTransport.Path(Item, projectId, id), null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A page of the project's connections.</summary>
    public Task<Page<Connection>> ListAsync(string projectId, int page = 1, int perPage = 20, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(projectId);
        return _transport.SendAsync<Page<Connection>>(HttpMethod.Get,
            HubTransport.Path(Collection, projectId) + string.Create(CultureInfo.InvariantCulture, $"?page={page}&per_page={perPage}"), null, cancellationToken);
    }

    /// <summary>A connection's status (by id or name).</summary>
    public async Task<ConnectionStatus> GetStatusAsync(string projectId, string connection, CancellationToken cancellationToken = default)
    {
        var id = await ResolveIdAsync(projectId, connection, cancellationToken).ConfigureAwait(false);
        return await _transport.SendAsync<ConnectionStatus>(HttpMethod.Get, HubTransport.Path(Item + "/status", projectId, id), null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Starts connecting an <c>oauth2_authorization_code</c> connection: open <see cref="AuthorizationStart.StartUrl"/> in the user's browser.</summary>
    public async Task<AuthorizationStart> AuthorizeAsync(string projectId, string connection, Uri? redirectAfter = null, CancellationToken cancellationToken = default)
    {
        var id = await ResolveIdAsync(projectId, connection, cancellationToken).ConfigureAwait(false);
        return await _transport.SendAsync<AuthorizationStart>(HttpMethod.Post, HubTransport.Path(Item + "/authorize", projectId, id),
            new AuthorizeBody(redirectAfter?.AbsoluteUri), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Connects with a direct grant (<c>client_credentials</c> for an <c>oauth2_client_credentials</c> connection, …). The hub
    /// authenticates as the client itself: <paramref name="parameters"/> may not carry client credentials.
    /// </summary>
    public async Task<ConnectionStatus> GrantAsync(
        string projectId, string connection, string grantType, IReadOnlyDictionary<string, string?>? parameters = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(grantType);
        var id = await ResolveIdAsync(projectId, connection, cancellationToken).ConfigureAwait(false);
        return await _transport.SendAsync<ConnectionStatus>(HttpMethod.Post, HubTransport.Path(Item + "/grant", projectId, id),
            new GrantBody(grantType, parameters), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A valid access token of an OAuth connection (by id or name). The token is cached in this client until
    /// <see cref="IntegrationsHubClientOptions.TokenRefreshBeforeExpiry"/> before its <c>expires_at</c>, and concurrent callers
    /// for the same connection share one request to the hub, so a busy service does not hammer the token route.
    /// </summary>
    public async Task<string> GetAccessTokenAsync(string projectId, string connection, CancellationToken cancellationToken = default) =>
        (await GetTokenAsync(projectId, connection, cancellationToken).ConfigureAwait(false)).AccessToken;

    /// <summary>As <see cref="GetAccessTokenAsync"/>, with the token's type, expiry and scope.</summary>
    public Task<ConnectionAccessToken> GetTokenAsync(string projectId, string connection, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(projectId);
        ArgumentException.ThrowIfNullOrEmpty(connection);
        return _tokens.GetAsync(new TokenKey(projectId, connection), cancellationToken);
    }

    /// <summary>Forgets a cached token (say, after the API it was for answered 401), so the next call asks the hub again.</summary>
    public void InvalidateAccessToken(string projectId, string connection) => _tokens.Invalidate(new TokenKey(projectId, connection));

    /// <summary>
    /// Set (to <c>true</c>) on every request <see cref="CreateProxyHandler"/> sends to the hub. The client's own retries skip
    /// such requests (a proxied call may be a write the upstream must not see twice, and the hub's proxy retries by error
    /// class already); a retry policy of your own on the hub's HttpClients should skip them too.
    /// </summary>
    public static readonly HttpRequestOptionsKey<bool> ProxiedRequestOption = new("Integrations.Client.Proxied");

    /// <summary>
    /// A handler that sends an <see cref="HttpClient"/>'s requests through the hub's proxy for one connection (by id or name),
    /// with the connection's credential injected by the hub:
    /// <c>new HttpClient(hub.Connections.CreateProxyHandler(projectId, "github")) { BaseAddress = new Uri("https://api.github.com/") }</c>.
    /// The path and query of each request go below the connection's <c>base_url</c> (scheme and host are not used); method,
    /// body and headers go as they are, except <c>Authorization</c>, <c>Cookie</c>, <c>Host</c>, <c>Expect</c> and hop-by-hop headers.
    /// The upstream's answer comes back as it is — 4xx and 5xx included, streamed, with <c>X-Hub-Attempts</c> — while a
    /// problem of the hub's own (missing scope, unknown connection, policy denial, upstream unreachable …) throws the
    /// <see cref="IntegrationsHubException"/> for its status. Proxied calls are never retried by the client. A name is looked
    /// up once per handler. Disposing the handler releases nothing of this client; the handler is thread-safe.
    /// </summary>
    public HttpMessageHandler CreateProxyHandler(string projectId, string connection)
    {
        ArgumentException.ThrowIfNullOrEmpty(projectId);
        ArgumentException.ThrowIfNullOrEmpty(connection);
        return new ConnectionProxyHandler(_transport, projectId, connection, ResolveIdAsync);
    }

    private async Task<ConnectionAccessToken> FetchTokenAsync(TokenKey key, CancellationToken cancellationToken)
    {
        var id = await ResolveIdAsync(key.ProjectId, key.Connection, cancellationToken).ConfigureAwait(false);
        return await _transport.SendAsync<ConnectionAccessToken>(HttpMethod.Post, HubTransport.Path(Item + "/token", key.ProjectId, id), new TokenBody(null), cancellationToken)
            .ConfigureAwait(false);
    }

    private async Task<string> ResolveIdAsync(string projectId, string connection, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(projectId);
        ArgumentException.ThrowIfNullOrEmpty(connection);
        if (connection.StartsWith(IdPrefix, StringComparison.Ordinal))
        {
            return connection;
        }

        // The hub addresses connections by id; names are unique in a project, so the first page holding the name answers.
        for (var page = 1; ; page++)
        {
            var listed = await ListAsync(projectId, page, ListPageSize, cancellationToken).ConfigureAwait(false);
            if (listed.Data.FirstOrDefault(c => string.Equals(c.Name, connection, StringComparison.Ordinal)) is { } found)
            {
                return found.Id;
            }

            if (page >= listed.Pagination.TotalPages)
            {
                throw new HubNotFoundException(new HubProblem(null, "Not found", 404, $"The project has no connection named '{connection}'.", "connection_not_found", "connection", null, null));
            }
        }
    }

    private sealed record AuthorizeBody(string? RedirectAfter);

    private sealed record GrantBody(string GrantType, IReadOnlyDictionary<string, string?>? Parameters)
    {
        public override string ToString() => $"GrantBody {{ GrantType = {GrantType} }}";
    }

    private sealed record TokenBody(bool? ForceRefresh);
}

internal readonly record struct TokenKey(string ProjectId, string Connection);
