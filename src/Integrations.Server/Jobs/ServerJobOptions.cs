using System.ComponentModel.DataAnnotations;

namespace Integrations.Server.Jobs;

/// <summary>
/// How the Server runs what Functions triggers run in Azure. Bound from <c>Jobs</c>. Attempts, retry delay and
/// visibility are each queue job's own (<c>QueueJob</c>); queue names are <c>Jobs:Queues:*</c>.
/// </summary>
public sealed class ServerJobOptions
{
    public const string SectionName = "Jobs";

    /// <summary>
    /// The longest wait between polls of an empty job queue: after a receive that found messages the wait starts at
    /// 100 ms and doubles with each empty poll up to this.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00")]
    public TimeSpan QueuePollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How many messages one receive takes from a job queue and runs at once; the next batch comes when half of them are
    /// done (the Functions queue trigger's <c>batchSize</c> and <c>newBatchThreshold</c>, which host.json sets to the same).
    /// 1 runs a queue's messages one at a time.
    /// </summary>
    [Range(1, 32)]
    public int QueueBatchSize { get; set; } = 16;
}
