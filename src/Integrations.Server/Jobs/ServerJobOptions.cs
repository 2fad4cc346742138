using System.ComponentModel.DataAnnotations;

namespace Integrations.Server.Jobs;

/// <summary>How the Server runs what Functions triggers run in Azure. Bound from <c>Jobs</c>.</summary>
public sealed class ServerJobOptions
{
    public const string SectionName = "Jobs";

    /// <summary>How often an empty job queue is polled.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00")]
    public TimeSpan QueuePollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>After this many failed attempts a message moves to the <c>-poison</c> queue, as Functions does.</summary>
    [Range(1, 100)]
    public int MaxDequeueCount { get; set; } = 5;
}
