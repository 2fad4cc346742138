using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace Integrations.Client;

/// <summary>
/// The retry strategy: 429 and 503 only, never another 4xx (a 400 or 409 will not change by asking again, and a retried
/// write could repeat a change) nor any other 5xx. <c>Retry-After</c> sets the delay when the hub sends one, capped at
/// <see cref="IntegrationsHubClientOptions.MaxRetryDelay"/> so a caller is never blocked for long.
/// </summary>
internal static class HubResilience
{
    public static HttpRetryStrategyOptions RetryOptions(IntegrationsHubClientOptions options) => new()
    {
        MaxRetryAttempts = Math.Max(1, options.MaxRetries),
        ShouldRetryAfterHeader = true,
        BackoffType = DelayBackoffType.Exponential,
        UseJitter = true,
        Delay = options.RetryDelay,
        MaxDelay = options.MaxRetryDelay,
        ShouldHandle = args => ValueTask.FromResult(
            options.MaxRetries > 0 && args.Outcome.Result is { StatusCode: HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable } response
            && !IsProxied(response.RequestMessage)),
    };

    /// <summary>
    /// A call through the hub's proxy (<see cref="Connections.ConnectionsClient.CreateProxyHandler"/>) is never retried here:
    /// its 503 may be the upstream's answer to a write that happened, and the hub's proxy has retried it by error class already.
    /// </summary>
    private static bool IsProxied(HttpRequestMessage? request) =>
        request is not null && request.Options.TryGetValue(Connections.ConnectionsClient.ProxiedRequestOption, out var proxied) && proxied;

    /// <summary>The pipeline for a client built without DI (<see cref="IntegrationsHubClient(Uri, string)"/>).</summary>
    public static ResiliencePipeline<HttpResponseMessage> Pipeline(IntegrationsHubClientOptions options) =>
        new ResiliencePipelineBuilder<HttpResponseMessage>().AddRetry(RetryOptions(options)).Build();
}
