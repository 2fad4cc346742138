namespace Integrations.Core.Jobs;

/// <summary>Durable record of queue messages that ended without their job completing, so none is dropped silently.</summary>
public interface IJobFailureLog
{
    Task RecordAsync(JobFailure failure, CancellationToken cancellationToken = default);

    /// <summary>The failures recorded for <paramref name="queue"/> (a Storage Queue name), newest first, at most <paramref name="max"/>.</summary>
    Task<IReadOnlyList<JobFailure>> ListAsync(string queue, int max = 100, CancellationToken cancellationToken = default);
}
