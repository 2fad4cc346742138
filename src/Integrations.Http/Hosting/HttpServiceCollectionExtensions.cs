using System.Net;
using Integrations.Core.Connections.Proxy;
using Integrations.Http.Client;
using Integrations.Http.Guard;
using Integrations.Http.Limits;
using Integrations.Http.Proxy;
using Integrations.Http.Resilience;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Integrations.Http.Hosting;

public static class HttpServiceCollectionExtensions
{
    /// <summary>
    /// Registers the outbound HTTP adapter: <see cref="OutboundHttpOptions"/> (section <c>OutboundHttp</c>, validated
    /// at start), the <see cref="SsrfGuard"/> over DNS (replace <see cref="IHostResolver"/> to resolve otherwise), the
    /// named client <see cref="OutboundHttpClient.ClientName"/> and <see cref="OutboundHttpClient"/>, and the proxy's
    /// <see cref="IProxyTransport"/> over the same guard and pipelines (named client <c>Integrations.Http.Proxy</c>:
    /// no decompression, no response-size cap, because it streams). Idempotent.
    /// </summary>
    public static IServiceCollection AddIntegrationsHttp(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(descriptor => descriptor.ServiceType == typeof(OutboundHttpClient)))
        {
            // AddHttpClient appends handlers on every call; registering twice would stack them.
            return services;
        }

        services.AddOptionsWithValidateOnStart<OutboundHttpOptions>().BindConfiguration(OutboundHttpOptions.SectionName);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<OutboundHttpOptions>, OutboundHttpOptionsValidator>());

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IHostResolver, DnsHostResolver>();
        services.TryAddSingleton(sp => new NetworkPolicy(
            sp.GetRequiredService<IOptions<OutboundHttpOptions>>().Value.AllowedNetworks.Select(CidrNotation.Parse)));
        services.TryAddSingleton(sp => new SsrfGuard(sp.GetRequiredService<NetworkPolicy>(), sp.GetRequiredService<IHostResolver>()));
        services.TryAddSingleton<OutboundPipelines>();
        services.TryAddSingleton(sp => new OutboundHttpClient(
            sp.GetRequiredService<IHttpMessageHandlerFactory>(), sp.GetRequiredService<OutboundPipelines>(),
            sp.GetRequiredService<IOptions<OutboundHttpOptions>>(), sp.GetRequiredService<ILogger<OutboundHttpClient>>()));

        services.AddHttpClient(OutboundHttpClient.ClientName)
            .ConfigurePrimaryHttpMessageHandler(sp => CreatePrimaryHandler(sp, DecompressionMethods.All))
            .AddHttpMessageHandler(() => new HttpVersionCapHandler())
            .AddHttpMessageHandler(sp => new ResponseSizeLimitHandler(Options(sp).MaxResponseBytes))
            .ConfigureHttpClient((sp, client) =>
            {
                // For callers that use the named HttpClient directly; OutboundHttpClient applies its own per-attempt timeout.
                client.Timeout = Options(sp).Timeout;
                client.MaxResponseContentBufferSize = Options(sp).MaxResponseBytes;
            })
            // The factory's default loggers write the full URI (a query may hold a token) and, at Trace, headers.
            // OutboundHttpClient logs its own events (Log.cs) with scheme, host and port only.
            .RemoveAllLoggers()
            // PooledConnectionLifetime recycles connections (each new one passes the guard again); rotating the whole
            // handler adds nothing, and the breakers live in OutboundPipelines, not in the handlers.
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan);

        // Work that spaces its own retries (direct sends and webhook deliveries on their queues) reads the named strategies'
        // delays here (Core cannot reference RetryStrategies).
        services.TryAddSingleton<Core.Connections.IRetryStrategySchedule>(sp => new RetryStrategySchedule(
            sp.GetService<Core.Common.IRandomSource>() ?? Core.Common.SystemRandomSource.Instance));
        services.TryAddSingleton<Core.Identity.Recovery.IEmailSender, Mail.ResendEmailSender>();
        services.TryAddSingleton<IProxyTransport>(sp => new ProxyTransport(
            sp.GetRequiredService<IHttpMessageHandlerFactory>(), sp.GetRequiredService<OutboundPipelines>(), sp.GetRequiredService<ILogger<ProxyTransport>>()));
        services.Replace(ServiceDescriptor.Singleton<ICircuitStateReader>(sp => new CircuitStateReader(sp.GetRequiredService<OutboundPipelines>())));
        services.AddHttpClient(ProxyTransport.ClientName)
            // The caller gets the upstream's bytes and Content-Encoding as sent; the size cap is for buffered bodies only.
            .ConfigurePrimaryHttpMessageHandler(sp => CreatePrimaryHandler(sp, DecompressionMethods.None))
            .AddHttpMessageHandler(() => new HttpVersionCapHandler())
            .RemoveAllLoggers()
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan);
        return services;
    }

    private static OutboundHttpOptions Options(IServiceProvider services) => services.GetRequiredService<IOptions<OutboundHttpOptions>>().Value;

    private static SocketsHttpHandler CreatePrimaryHandler(IServiceProvider services, DecompressionMethods decompression)
    {
        var options = Options(services);
        var connector = new GuardedConnector(services.GetRequiredService<SsrfGuard>(), services.GetRequiredService<ILogger<GuardedConnector>>());
        return new SocketsHttpHandler
        {
            // A redirect goes back to the caller, whose next request passes the guard again.
            AllowAutoRedirect = false,
            // Through a proxy, ConnectCallback would see the proxy's address, not the target's: the guard would check the wrong thing.
            UseProxy = false,
            UseCookies = false,
            AutomaticDecompression = decompression,
            ConnectTimeout = options.ConnectTimeout,
            PooledConnectionLifetime = options.PooledConnectionLifetime,
            ConnectCallback = connector.ConnectAsync,
        };
    }
}
