using Integrations.Core.Connections;
using Integrations.Core.Events;
using Integrations.Core.OAuth;
using Integrations.Core.OAuth.Tokens;
using Integrations.Http.Resilience;
using Microsoft.Extensions.DependencyInjection;

namespace Integrations.Server.Tests;

/// <summary>The Server composes what connections need: the retry strategy names come from Integrations.Http's one list, and the token lifecycle is wired to connections and providers.</summary>
public sealed class ConnectionCompositionTests
{
    [Fact]
    public void Server_RetryStrategyCatalog_IsHttpsStrategyList()
    {
        using var services = ServerComposition.Build();

        var catalog = services.GetRequiredService<IRetryStrategyCatalog>();

        Assert.True(catalog.Names.ToHashSet(StringComparer.Ordinal).SetEquals(RetryStrategies.All.Keys));
    }

    [Fact]
    public async Task Server_ResolvesTheConnectionServicesAndTheirPorts()
    {
        await using var services = ServerComposition.Build();

        Assert.NotNull(services.GetRequiredService<ConnectionService>());
        Assert.NotNull(services.GetRequiredService<ConnectionStateChanges>());
        Assert.NotNull(services.GetRequiredService<CredentialResolver>());
        // Deleting a connection revokes its tokens, and a provider some connection uses cannot be deleted.
        Assert.IsType<OAuthTokenRevoker>(services.GetRequiredService<IConnectionTokenRevoker>());
        Assert.IsType<ConnectionProviderUsage>(services.GetRequiredService<IProviderUsage>());
        // The token lifecycle changes status through the one audited path and finds clients through the provider service.
        Assert.IsType<ConnectionStateWriter>(services.GetRequiredService<IConnectionStateWriter>());
        Assert.IsType<ProviderTokenClientResolver>(services.GetRequiredService<ITokenClientResolver>());
        Assert.NotNull(services.GetRequiredService<IConnectionTokenService>());
        Assert.Equal("TableEventOutbox", services.GetRequiredService<IEventOutbox>().GetType().Name);
        Assert.Equal("TableConnectionStore", services.GetRequiredService<IConnectionStore>().GetType().Name);
    }
}
