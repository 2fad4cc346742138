using Integrations.Core.Common;
using Integrations.Core.Connections;

namespace Integrations.Core.OAuth.Tokens;

/// <summary>A connection's provider, its effective endpoints and its client credentials, through the provider capability.</summary>
public sealed class ProviderTokenClientResolver(IProviderStore providers, ProviderService service) : ITokenClientResolver
{
    public async Task<Result<TokenClient>> ResolveAsync(Connection connection, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        // The store reads under the connection's own organization and project: a provider id of another tenant is absent.
        var provider = connection.ProviderId is { } providerId
            ? await providers.GetAsync(connection.OrganizationId, connection.ProjectId, providerId, cancellationToken).ConfigureAwait(false)
            : null;
        if (provider is null)
        {
            return HubError.NotFound("provider");
        }

        var endpoints = await service.ResolveEndpointsAsync(provider, cancellationToken).ConfigureAwait(false);
        if (!endpoints.IsSuccess)
        {
            return endpoints.Error;
        }

        var credentials = await service.GetClientCredentialsAsync(provider, cancellationToken).ConfigureAwait(false);
        if (!credentials.IsSuccess)
        {
            return credentials.Error;
        }

        // private_key_jwt: the issuer is the audience rfc7523bis (and OpenIddict) require; without one, the endpoint URL.
        return new TokenClient(provider, endpoints.Value, credentials.Value with { AssertionAudience = endpoints.Value.Issuer });
    }
}
