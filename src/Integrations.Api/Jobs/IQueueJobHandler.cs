namespace Integrations.Api.Jobs;

/// <summary>
/// The work behind a <see cref="QueueJob"/>, resolved from DI by its type. Called through <see cref="QueueJobRunner"/>
/// by both shells; a message is delivered at least once, so the work must be safe to repeat.
/// </summary>
public interface IQueueJobHandler
{
    /// <summary>
    /// Does the work <paramref name="message"/> asks for. Throw to have the message retried (and, after its last
    /// attempt, recorded and moved to the poison queue); return <see cref="QueueJobOutcome.Rejected"/> for a message
    /// that retrying cannot help.
    /// </summary>
    Task<QueueJobOutcome> RunAsync(QueueJobMessage message, CancellationToken cancellationToken = default);
}
