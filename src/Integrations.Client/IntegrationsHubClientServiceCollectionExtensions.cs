using Integrations.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers <see cref="IntegrationsHubClient"/> (a singleton, so its token cache is shared) with a resilient named HttpClient.</summary>
public static class IntegrationsHubClientServiceCollectionExtensions
{
    /// <summary>The name of the HttpClient the client sends with (add handlers to it with <c>services.AddHttpClient(HttpClientName)</c>).</summary>
    public const string HttpClientName = "Integrations.Client";

    /// <summary>Binds <paramref name="configuration"/> (e.g. the <c>IntegrationsHub</c> section) and validates it when the host starts.</summary>
    public static IServiceCollection AddIntegrationsHubClient(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<IntegrationsHubClientOptions>().Bind(configuration);
        return services.AddIntegrationsHubClient(static _ => { });
    }

    /// <summary>Configures the client in code; the options are validated when the host starts.</summary>
    public static IServiceCollection AddIntegrationsHubClient(this IServiceCollection services, Action<IntegrationsHubClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<IntegrationsHubClientOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<IntegrationsHubClientOptions>, IntegrationsHubClientOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddHttpClient(HttpClientName)
            .ConfigureHttpClient((sp, http) => http.Timeout = sp.GetRequiredService<IOptions<IntegrationsHubClientOptions>>().Value.Timeout)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false })
            .AddResilienceHandler("integrations-hub", (builder, context) =>
                builder.AddRetry(HubResilience.RetryOptions(context.ServiceProvider.GetRequiredService<IOptions<IntegrationsHubClientOptions>>().Value)));
        services.TryAddSingleton(sp =>
        {
            var factory = sp.GetRequiredService<IHttpClientFactory>();
            return new IntegrationsHubClient(() => factory.CreateClient(HttpClientName), sp.GetRequiredService<IOptions<IntegrationsHubClientOptions>>().Value,
                sp.GetRequiredService<TimeProvider>());
        });
        return services;
    }
}
