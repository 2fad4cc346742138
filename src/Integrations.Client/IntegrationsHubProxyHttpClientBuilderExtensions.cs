using Integrations.Client;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Sends a named or typed HttpClient's requests through the hub's proxy for one connection.</summary>
public static class IntegrationsHubProxyHttpClientBuilderExtensions
{
    /// <summary>
    /// Makes the hub's proxy for <paramref name="connection"/> (id or name) the client's primary handler:
    /// <c>services.AddHttpClient("github", c => c.BaseAddress = new Uri("https://api.github.com/")).AddIntegrationsHubProxy(projectId, "github")</c>.
    /// Needs <c>AddIntegrationsHubClient</c> (the proxied calls go through its HttpClient, without its retries); nothing is resolved
    /// until the first client is created. Handlers added to this builder run before the proxy: a retry handler of your own
    /// would repeat writes the upstream has already seen, so add none for non-idempotent calls. See
    /// <see cref="Integrations.Client.Connections.ConnectionsClient.CreateProxyHandler"/> for what is forwarded and what throws.
    /// </summary>
    public static IHttpClientBuilder AddIntegrationsHubProxy(this IHttpClientBuilder builder, string projectId, string connection)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(projectId);
        ArgumentException.ThrowIfNullOrEmpty(connection);
        return builder.ConfigurePrimaryHttpMessageHandler(sp => sp.GetRequiredService<IntegrationsHubClient>().Connections.CreateProxyHandler(projectId, connection));
    }
}
