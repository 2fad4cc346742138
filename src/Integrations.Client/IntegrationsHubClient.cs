using Integrations.Client.Connections;
using Integrations.Client.Secrets;
using Microsoft.Extensions.Http.Resilience;

namespace Integrations.Client;

/// <summary>
/// The Integrations Hub from C#: <see cref="Secrets"/> and <see cref="Connections"/> of the projects an API key may reach.
/// Thread-safe; make one per process (or take it from DI with <c>AddIntegrationsHubClient</c>) so the access-token cache is shared.
/// Errors of the hub become <see cref="IntegrationsHubException"/>s; 429 and 503 are retried, honouring <c>Retry-After</c>.
/// </summary>
public sealed class IntegrationsHubClient : IDisposable
{
    private readonly HttpClient? _owned;

    /// <summary>A client with its own connection pool and retries: <c>new IntegrationsHubClient(new Uri("https://hub.example.com"), apiKey)</c>.</summary>
    public IntegrationsHubClient(Uri baseAddress, string apiKey)
        : this(new IntegrationsHubClientOptions { BaseAddress = baseAddress, ApiKey = apiKey })
    {
    }

    /// <summary>A client with its own connection pool and retries, from <paramref name="options"/> (validated here).</summary>
    public IntegrationsHubClient(IntegrationsHubClientOptions options, TimeProvider? timeProvider = null)
        : this(Validated(options), timeProvider, ownedHttp: OwnHttpClient(options))
    {
    }

    /// <summary>
    /// A client sending through <paramref name="httpClientFactory"/>'s clients (each call takes one, so handler rotation applies);
    /// the caller sets up retries on them. This is what <c>AddIntegrationsHubClient</c> registers.
    /// </summary>
    public IntegrationsHubClient(Func<HttpClient> httpClientFactory, IntegrationsHubClientOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(httpClientFactory);
        Validated(options);
        var transport = new HubTransport(httpClientFactory, options.BaseAddress!, options.ApiKey!);
        Secrets = new SecretsClient(transport);
        Connections = new ConnectionsClient(transport, timeProvider ?? TimeProvider.System, options.TokenRefreshBeforeExpiry);
    }

    private IntegrationsHubClient(IntegrationsHubClientOptions options, TimeProvider? timeProvider, HttpClient ownedHttp)
        : this(() => ownedHttp, options, timeProvider) => _owned = ownedHttp;

    /// <summary>Secrets: by name and id, versions, reveal, search, delete and restore.</summary>
    public SecretsClient Secrets { get; }

    /// <summary>Connections: create, read, connect, and access tokens (cached and coalesced).</summary>
    public ConnectionsClient Connections { get; }

    public void Dispose() => _owned?.Dispose();

    private static IntegrationsHubClientOptions Validated(IntegrationsHubClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var result = new IntegrationsHubClientOptionsValidator().Validate(null, options);
        return result.Failed ? throw new ArgumentException(result.FailureMessage, nameof(options)) : options;
    }

    private static HttpClient OwnHttpClient(IntegrationsHubClientOptions options)
    {
        var sockets = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), UseCookies = false, AllowAutoRedirect = false };
#pragma warning disable CA2000 // The HttpClient owns (and disposes) the handler chain.
        var retries = new ResilienceHandler(HubResilience.Pipeline(options)) { InnerHandler = sockets };
#pragma warning restore CA2000
        return new HttpClient(retries, disposeHandler: true) { Timeout = options.Timeout };
    }
}
