using Integrations.Core.Common;
using Integrations.Core.Crypto;
using Microsoft.Extensions.Hosting;

namespace Integrations.Api.Jobs;

/// <summary>At start: create missing tables, queues and containers, then load (or on a new deployment create) the keys.</summary>
public sealed class HubInitializer(IHubStorage storage, KeyRing keyRing) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await storage.InitializeAsync(cancellationToken).ConfigureAwait(false);
        await keyRing.InitializeAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
