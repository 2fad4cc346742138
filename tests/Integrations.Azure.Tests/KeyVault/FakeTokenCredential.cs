using System.Collections.Concurrent;
using Azure.Core;

namespace Integrations.Azure.Tests.KeyVault;

/// <summary>Stands in for Entra ID: returns a fixed token and records what each request for a token asked for.</summary>
public sealed class FakeTokenCredential(string token = KeyVaultContractServer.AccessToken) : TokenCredential
{
    public ConcurrentQueue<TokenRequestContext> Requests { get; } = new();

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        Requests.Enqueue(requestContext);
        return new AccessToken(token, TimeProvider.System.GetUtcNow().AddHours(1));
    }

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        ValueTask.FromResult(GetToken(requestContext, cancellationToken));
}
