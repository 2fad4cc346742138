using Integrations.Core.Common;

namespace Integrations.Api.Jobs;

/// <summary>The queue jobs; the Server runs a worker for each, Functions has a QueueTrigger for each, and a test keeps both in step.</summary>
public static class QueueJobs
{
    /// <summary>Key rotations started through the API run here, off the request. A rotation can take minutes, and is resumable.</summary>
    public static QueueJob KeyRotation { get; } =
        new("KeyRotation", JobQueues.KeyRotation, typeof(KeyRotationJob), TimeSpan.FromMinutes(2), QueueRetryPolicy.Standard);

    public static IReadOnlyList<QueueJob> All { get; } = [KeyRotation];
}
