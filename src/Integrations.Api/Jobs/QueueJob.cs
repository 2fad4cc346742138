using Integrations.Core.Common;

namespace Integrations.Api.Jobs;

/// <summary>
/// A queue job both shells run: the Server polls the queue (<c>QueueJobService</c>), Functions binds a QueueTrigger to
/// <c>%{QueueNameSetting}%</c>. Both hand each message to <see cref="QueueJobRunner"/>.
/// </summary>
/// <param name="Name">The job's name, and the Functions function name.</param>
/// <param name="Queue">The queue it listens on; its setting names the Storage Queue.</param>
/// <param name="Handler">A type implementing <see cref="IQueueJobHandler"/>, resolved from DI for each message.</param>
/// <param name="VisibilityTimeout">How long the Server keeps a received message hidden; it renews the hiding at half that while the job runs (the Functions host renews its own).</param>
/// <param name="Retry">Attempts and the delay between them; after the last failed attempt the message is recorded and moved to <c>{queue}-poison</c>.</param>
public sealed record QueueJob(string Name, JobQueueDefinition Queue, Type Handler, TimeSpan VisibilityTimeout, QueueRetryPolicy Retry)
{
    public Type Handler { get; } = Handler is not null && typeof(IQueueJobHandler).IsAssignableFrom(Handler)
        ? Handler
        : throw new ArgumentException($"A queue job's handler must implement {nameof(IQueueJobHandler)}.", nameof(Handler));

    public TimeSpan VisibilityTimeout { get; } = VisibilityTimeout >= TimeSpan.FromSeconds(1) && VisibilityTimeout <= TimeSpan.FromDays(7)
        ? VisibilityTimeout
        : throw new ArgumentOutOfRangeException(nameof(VisibilityTimeout), VisibilityTimeout, "Storage Queues allow 1 second to 7 days.");

    /// <summary>The configuration key holding the queue's name; the Functions trigger binds <c>%QueueNameSetting%</c>.</summary>
    public string QueueNameSetting => Queue.NameSetting;
}
