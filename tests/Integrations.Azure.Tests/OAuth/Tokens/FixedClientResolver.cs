using Integrations.Core.Common;
using Integrations.Core.Connections;
using Integrations.Core.OAuth;
using Integrations.Core.OAuth.Protocol;
using Integrations.Core.OAuth.Tokens;

namespace Integrations.Azure.Tests.OAuth.Tokens;

/// <summary>Stands in for the providers capability (merged later): every connection uses <see cref="Provider"/>.</summary>
public sealed class FixedClientResolver : ITokenClientResolver
{
    public OAuthProvider Provider { get; set; } = NewProvider();

    public ProviderEndpoints Endpoints { get; set; } = new()
    {
        Token = new Uri("https://127.0.0.1:1/token"),
        Revocation = new Uri("https://127.0.0.1:1/revoke"),
    };

    public static OAuthProvider NewProvider() => new()
    {
        Id = Ids.New("prv"),
        OrganizationId = Ids.New("org"),
        ProjectId = Ids.New("prj"),
        Name = "scripted",
        ClientId = "hub-client",
        DefaultScopes = ["read"],
        CreatedBy = "test",
        CreatedAt = DateTimeOffset.UnixEpoch,
        UpdatedAt = DateTimeOffset.UnixEpoch,
    };

    public Task<Result<TokenClient>> ResolveAsync(Connection connection, CancellationToken cancellationToken = default) =>
        Task.FromResult<Result<TokenClient>>(new TokenClient(Provider, Endpoints,
            new OAuthClientCredentials(Provider.ClientId, ClientAuthenticationMethod.ClientSecretBasic, "client-secret-value")));
}
