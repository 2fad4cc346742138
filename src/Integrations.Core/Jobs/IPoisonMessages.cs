using Integrations.Core.Common;

namespace Integrations.Core.Jobs;

/// <summary>
/// The poison queue of a job queue (<c>{queue}-poison</c>), where both shells move a message whose job failed its last try:
/// read by jobs that turn what lands there into a recorded outcome rather than leave it unseen.
/// </summary>
public interface IPoisonMessages
{
    /// <summary>Up to <paramref name="max"/> messages of <paramref name="queue"/>'s poison queue, hidden for <paramref name="visibility"/> while they are handled.</summary>
    Task<IReadOnlyList<PoisonMessage>> ReceiveAsync(JobQueueDefinition queue, int max, TimeSpan visibility, CancellationToken cancellationToken = default);

    /// <summary>About how many messages <paramref name="queue"/>'s poison queue holds (0 when it does not exist): the poison depth gauge.</summary>
    Task<long> CountAsync(JobQueueDefinition queue, CancellationToken cancellationToken = default);

    /// <summary>Removes a handled message.</summary>
    Task DeleteAsync(JobQueueDefinition queue, PoisonMessage message, CancellationToken cancellationToken = default);
}

/// <summary>A poison message: its body is the original job message's (it may carry something that belongs in no log).</summary>
public sealed record PoisonMessage(string MessageId, string PopReceipt, string Body)
{
    public override string ToString() => $"{nameof(PoisonMessage)} {{ MessageId = {MessageId} }}";
}
