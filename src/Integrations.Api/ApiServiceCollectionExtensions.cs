using Integrations.Api.Authentication;
using Integrations.Api.Jobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Integrations.Api;

public static class ApiServiceCollectionExtensions
{
    /// <summary>Registers the endpoint handlers, the request pipeline and the job entry points both shells call.</summary>
    public static IServiceCollection AddIntegrationsApi(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddProblemDetails();
        services.TryAddSingleton<EndpointRunner>();
        services.TryAddSingleton<HealthEndpoints>();
        services.TryAddSingleton<OrganizationEndpoints>();
        services.TryAddSingleton<ApiKeyEndpoints>();
        services.TryAddSingleton<ProjectEndpoints>();
        services.TryAddSingleton<SecretEndpoints>();
        services.TryAddSingleton<AuditEndpoints>();
        services.TryAddSingleton<AdminEndpoints>();
        services.AddIntegrationsJobs();
        return services;
    }
}
