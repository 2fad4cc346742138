using Azure.Storage.Queues;
using Integrations.Core.Common;
using Integrations.Core.Jobs;

namespace Integrations.Azure.Queues;

/// <summary>
/// Job messages on Storage Queues named by <see cref="IJobQueueNames"/> (each queue's setting, which the workers of
/// both shells read too). Messages are base64-encoded, the encoding the Functions queue trigger expects by default.
/// </summary>
public sealed class StorageQueueDispatcher(QueueServiceClient service, IJobQueueNames names) : IJobDispatcher
{
    public async Task EnqueueAsync(JobQueueDefinition queue, string message, CancellationToken cancellationToken = default) =>
        await service.GetQueueClient(names.NameOf(queue)).SendMessageAsync(message, cancellationToken).ConfigureAwait(false);

    public async Task EnqueueAsync(JobQueueDefinition queue, string message, TimeSpan delay, CancellationToken cancellationToken = default) =>
        await service.GetQueueClient(names.NameOf(queue))
            .SendMessageAsync(message, visibilityTimeout: delay > TimeSpan.Zero ? WholeSecondsUp(delay) : null, timeToLive: null, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Storage Queues count a visibility timeout in whole seconds and the SDK truncates: 0.8 s would become 0 and the message
    /// visible at once. A delay is a "not before", so it is rounded up instead.
    /// </summary>
    public static TimeSpan WholeSecondsUp(TimeSpan delay) => TimeSpan.FromSeconds(Math.Ceiling(delay.TotalSeconds));
}
