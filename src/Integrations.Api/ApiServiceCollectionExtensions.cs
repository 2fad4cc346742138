using Integrations.Api.Activity;
using Integrations.Api.Admin;
using Integrations.Core.Identity.Recovery;
using Integrations.Api.ApiKeys;
using Integrations.Api.Audit;
using Integrations.Api.Connections;
using Integrations.Api.Health;
using Integrations.Api.Identity;
using Integrations.Api.Jobs;
using Integrations.Api.OAuth;
using Integrations.Api.Organizations;
using Integrations.Api.OutboundWebhooks;
using Integrations.Api.Pipeline;
using Integrations.Api.Projects;
using Integrations.Api.Providers;
using Integrations.Api.Secrets;
using Integrations.Api.Sends;
using Integrations.Api.Webhooks;
using Integrations.Core.Connections.Health;
using Integrations.Core.Counters;
using Integrations.Core.Identity;
using Integrations.Core.Identity.Tokens;
using Integrations.Core.OutboundWebhooks;
using Integrations.Core.Sends;
using Integrations.Core.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Integrations.Api;

public static class ApiServiceCollectionExtensions
{
    /// <summary>Registers the request pipeline, the endpoint classes the route table binds to, and the job entry points both shells call.</summary>
    public static IServiceCollection AddIntegrationsApi(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddProblemDetails();
        services.AddIntegrationsPipeline();

        services.TryAddSingleton<HealthEndpoints>();
        // User access tokens: the JWKS route publishes the signing keys; the issuer's options need Hub:PublicBaseUrl (below).
        services.AddIntegrationsAccessTokens();
        services.TryAddSingleton<JwksEndpoints>();
        services.TryAddSingleton<OrganizationEndpoints>();
        services.TryAddSingleton<ApiKeyEndpoints>();
        services.TryAddSingleton<ProjectEndpoints>();
        services.TryAddSingleton<SecretEndpoints>();
        services.TryAddSingleton<ProviderEndpoints>();
        services.TryAddSingleton<AuditEndpoints>();
        services.TryAddSingleton<AdminEndpoints>();
        // Email verification, password reset and the admin's user operations (with the user sessions they build on).
        services.AddIntegrationsRecovery();
        services.TryAddSingleton<RecoveryEndpoints>();
        services.TryAddSingleton<AdminUserEndpoints>();
        services.TryAddSingleton<OAuthStartEndpoints>();
        services.TryAddSingleton<OAuthSettingsEndpoints>();
        // The API builds OAuth redirect URIs and start links from it; the CLI, which shares HubOptions, does not need it.
        services.AddOptionsWithValidateOnStart<HubOptions>()
            .Validate(o => !string.IsNullOrWhiteSpace(o.PublicBaseUrl),
                "Hub:PublicBaseUrl is required: the hub's public URL as browsers reach it, e.g. https://hub.example.com (OAuth redirect URIs are {PublicBaseUrl}/v1/oauth/callback).");

        services.TryAddSingleton<ConnectionEndpoints>();
        services.TryAddSingleton<ProxyEndpoints>();
        // These need the outbound HTTP ports (IProxyTransport, the named strategies' delays), which only the hosts have.
        services.AddConnectionHealth();
        services.AddIntegrationsSends();
        services.AddIntegrationsWebhookDelivery();

        services.TryAddSingleton<ConnectEndpoints>();
        services.TryAddSingleton<OAuthCallbackEndpoints>();
        services.TryAddSingleton<ConnectionTokenEndpoints>();
        services.TryAddSingleton<ActivityEndpoints>();

        // Webhook ingress. The durable counters replace the in-memory stand-in where they are registered first.
        services.TryAddSingleton<IWebhookSourceLookup, WebhookSourceLookup>();
        services.TryAddSingleton<WebhookIngress>();
        services.TryAddSingleton<WebhookIngressEndpoints>();
        services.TryAddSingleton<WebhookEventEndpoints>();
        services.TryAddSingleton<WebhookSourceEndpoints>();
        services.TryAddSingleton<SendEndpoints>();
        services.TryAddSingleton<WebhookEndpointEndpoints>();

        // Outbound messages: the service and its publishers (activity outbox, inbound events), once the stores are there.
        services.AddIntegrationsOutboundMessages();
        services.TryAddSingleton<MessageEndpoints>();
        services.TryAddSingleton<DeliveryEndpoints>();
        services.AddIntegrationsJobs();
        return services;
    }

    /// <summary>
    /// The request pipeline's steps. Authenticators are asked in registration order: a new kind of caller registers
    /// its <see cref="IRequestAuthenticator"/> here.
    /// </summary>
    public static IServiceCollection AddIntegrationsPipeline(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptionsWithValidateOnStart<RateLimitOptions>().BindConfiguration(RateLimitOptions.SectionName).ValidateDataAnnotations()
            .Validate(o => o.Policies.Values.All(limit => limit > 0), "RateLimits:Policies:<name> must be a positive number of requests per minute.");
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IRequestAuthenticator, ApiKeyAuthenticator>());
        services.TryAddSingleton<AuthenticateStep>();
        services.TryAddSingleton<RateLimitStep>();
        services.TryAddSingleton<ResolveScopeStep>();
        services.TryAddSingleton<AuditStep>();
        services.TryAddSingleton<RepeatedRecords>();
        services.TryAddSingleton<ProblemMapping>();
        services.TryAddSingleton<RequestPipeline>();
        services.TryAddSingleton<RepeatedRecordFlusher>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, RepeatedRecordFlusher>(sp => sp.GetRequiredService<RepeatedRecordFlusher>()));
        return services;
    }
}
