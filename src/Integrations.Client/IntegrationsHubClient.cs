using Integrations.Client.Auth;
using Integrations.Client.Connections;
using Integrations.Client.Messages;
using Integrations.Client.Organizations;
using Integrations.Client.Secrets;
using Integrations.Client.Sends;
using Integrations.Client.WebhookEndpoints;
using Integrations.Client.WebhookSources;
using Microsoft.Extensions.Http.Resilience;

namespace Integrations.Client;

/// <summary>
/// The Integrations Hub from C#: <see cref="Secrets"/>, <see cref="Connections"/>, webhooks in and out, messages and sends of the projects an API key may reach, and people's accounts (<see cref="Auth"/>).
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
        WebhookSources = new WebhookSourcesClient(transport);
        WebhookEvents = new WebhookEventsClient(transport);
        WebhookEndpoints = new WebhookEndpointsClient(transport);
        Messages = new MessagesClient(transport);
        Sends = new SendsClient(transport);
        Auth = new AuthClient(transport);
        Organizations = new OrganizationsClient(transport);
    }

    private IntegrationsHubClient(IntegrationsHubClientOptions options, TimeProvider? timeProvider, HttpClient ownedHttp)
        : this(() => ownedHttp, options, timeProvider) => _owned = ownedHttp;

    /// <summary>Secrets: by name and id, versions, reveal, search, delete and restore.</summary>
    public SecretsClient Secrets { get; }

    /// <summary>Connections: create, read, connect, and access tokens (cached and coalesced).</summary>
    public ConnectionsClient Connections { get; }

    // Webhooks in and out, messages, sends, people and organizations (client-more).

    /// <summary>Webhook sources: where providers deliver and how the hub verifies them; signing secrets, delivery counts.</summary>
    public WebhookSourcesClient WebhookSources { get; }

    /// <summary>The webhook events the sources received: list, read with the raw body, replay.</summary>
    public WebhookEventsClient WebhookEvents { get; }

    /// <summary>Outbound webhook endpoints: register, change, rotate and reveal secrets, recover, attempts, stats.</summary>
    public WebhookEndpointsClient WebhookEndpoints { get; }

    /// <summary>Outbound messages: send (idempotent with a key), read, attempts, replay.</summary>
    public MessagesClient Messages { get; }

    /// <summary>Direct sends: one outbound call made by the hub, to a URL or through a connection.</summary>
    public SendsClient Sends { get; }

    /// <summary>People's accounts: sign-up, login, refresh, logout, password, email verification, <c>me</c>, social connections.</summary>
    public AuthClient Auth { get; }

    /// <summary>An organization's members and invitations.</summary>
    public OrganizationsClient Organizations { get; }

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
