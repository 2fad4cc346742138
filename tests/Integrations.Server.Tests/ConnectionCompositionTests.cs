using Integrations.Core.Connections;
using Integrations.Core.Events;
using Integrations.Http.Resilience;
using Microsoft.Extensions.DependencyInjection;

namespace Integrations.Server.Tests;

/// <summary>The Server composes what connections need: the retry strategy names come from Integrations.Http's one list.</summary>
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
        // A deletion revokes through the token lifecycle, not the Core default that has nothing to revoke.
        Assert.IsType<Integrations.Core.OAuth.Tokens.OAuthTokenRevoker>(services.GetRequiredService<IConnectionTokenRevoker>());
        Assert.Equal("TableEventOutbox", services.GetRequiredService<IEventOutbox>().GetType().Name);
        Assert.Equal("TableConnectionStore", services.GetRequiredService<IConnectionStore>().GetType().Name);
    }
}
