using Integrations.Core.Rotation;

namespace Integrations.Api.Jobs;

/// <summary>Runs (or resumes) the key rotation named by a message on the key-rotation queue (<see cref="QueueJobs.KeyRotation"/>).</summary>
public sealed class KeyRotationJob(KeyRotationService rotations) : IQueueJobHandler
{
    public async Task<QueueJobOutcome> RunAsync(QueueJobMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var rotation = await rotations.GetAsync(message.Body.Trim(), cancellationToken).ConfigureAwait(false);
        if (rotation is null)
        {
            // Retrying cannot make an unknown rotation known; the runner records the rejection instead.
            return QueueJobOutcome.Rejected("The message names no known key rotation.");
        }

        // Resumable: a retry after a failure continues where the stored progress stands.
        await rotations.RunAsync(rotation.Id, progress: null, cancellationToken).ConfigureAwait(false);
        return QueueJobOutcome.Completed;
    }
}
