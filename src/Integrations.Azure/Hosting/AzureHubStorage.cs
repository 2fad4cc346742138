using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Integrations.Azure.Tables;
using Integrations.Core.Common;
using Integrations.Core.Jobs;

namespace Integrations.Azure.Hosting;

/// <summary>Creates the hub's tables, queues, lock container and audit checkpoint container; probes the account for readiness.</summary>
public sealed class AzureHubStorage(
    HubTables tables, QueueServiceClient queues, IJobQueueNames queueNames, BlobContainerClient locks, BlobContainerClient? auditCheckpoints = null)
    : IHubStorage
{
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        await tables.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
        foreach (var queue in JobQueues.All)
        {
            await queues.GetQueueClient(queueNames.NameOf(queue)).CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        await locks.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        if (auditCheckpoints is not null)
        {
            // In Azure the Bicep template creates it with its immutability policy; this covers Azurite and new prefixes.
            await auditCheckpoints.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task CheckAsync(CancellationToken cancellationToken = default)
    {
        // One cheap round trip to each service the request path depends on.
        await tables.Keys.GetEntityIfExistsAsync<TableEntity>("ring", "readyz", ["PartitionKey"], cancellationToken).ConfigureAwait(false);
        await locks.ExistsAsync(cancellationToken).ConfigureAwait(false);
    }
}
