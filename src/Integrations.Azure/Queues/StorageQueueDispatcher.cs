using Azure.Storage.Queues;
using Integrations.Core.Common;

namespace Integrations.Azure.Queues;

/// <summary>
/// Job messages on Storage Queues named <c>{prefix}-{queue}</c>. Messages are base64-encoded, the encoding the
/// Functions queue trigger expects by default.
/// </summary>
public sealed class StorageQueueDispatcher(QueueServiceClient service, HubQueueNames names) : IJobDispatcher
{
    public async Task EnqueueAsync(string queueName, string message, CancellationToken cancellationToken = default) =>
        await service.GetQueueClient(names.For(queueName)).SendMessageAsync(message, cancellationToken).ConfigureAwait(false);
}
