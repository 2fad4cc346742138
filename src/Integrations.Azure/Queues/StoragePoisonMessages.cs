using Azure.Storage.Queues;
using Integrations.Core.Common;
using Integrations.Core.Jobs;

namespace Integrations.Azure.Queues;

/// <summary><see cref="IPoisonMessages"/> on the Storage Queue <c>{name}-poison</c> of each job queue (the name both shells move poison to).</summary>
public sealed class StoragePoisonMessages(QueueServiceClient service, IJobQueueNames names) : IPoisonMessages
{
    public async Task<IReadOnlyList<PoisonMessage>> ReceiveAsync(JobQueueDefinition queue, int max, TimeSpan visibility, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(queue);
        var client = Poison(queue);
        if (!await client.ExistsAsync(cancellationToken).ConfigureAwait(false))
        {
            // Nothing has ever failed its last try there.
            return [];
        }

        var received = await client.ReceiveMessagesAsync(Math.Clamp(max, 1, 32), visibility, cancellationToken).ConfigureAwait(false);
        return received.Value.Select(m => new PoisonMessage(m.MessageId, m.PopReceipt, m.Body.ToString())).ToList();
    }

    public async Task<long> CountAsync(JobQueueDefinition queue, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(queue);
        var client = Poison(queue);
        if (!await client.ExistsAsync(cancellationToken).ConfigureAwait(false))
        {
            return 0;
        }

        return (await client.GetPropertiesAsync(cancellationToken).ConfigureAwait(false)).Value.ApproximateMessagesCount;
    }

    public async Task DeleteAsync(JobQueueDefinition queue, PoisonMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentNullException.ThrowIfNull(message);
        await Poison(queue).DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken).ConfigureAwait(false);
    }

    private QueueClient Poison(JobQueueDefinition queue) => service.GetQueueClient(HubQueueNames.PoisonQueueOf(names.NameOf(queue)));
}
