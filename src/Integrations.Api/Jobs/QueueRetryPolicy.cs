namespace Integrations.Api.Jobs;

/// <summary>How often a queue job's message is tried, and how long it waits between tries.</summary>
/// <param name="MaxAttempts">Attempts before the message is recorded as failed and moved to <c>{queue}-poison</c> (Functions: host.json <c>extensions.queues.maxDequeueCount</c>).</param>
/// <param name="RetryDelay">How long a failed message stays invisible before its next attempt (Functions: host.json <c>extensions.queues.visibilityTimeout</c>).</param>
public sealed record QueueRetryPolicy(int MaxAttempts, TimeSpan RetryDelay)
{
    /// <summary>
    /// The policy of every queue job. The Functions host applies one <c>maxDequeueCount</c> and one
    /// <c>visibilityTimeout</c> (host.json) to all queue triggers, so every job shares it; a test checks host.json agrees.
    /// </summary>
    public static QueueRetryPolicy Standard { get; } = new(5, TimeSpan.FromSeconds(30));

    public int MaxAttempts { get; } = MaxAttempts >= 1 ? MaxAttempts : throw new ArgumentOutOfRangeException(nameof(MaxAttempts), MaxAttempts, "At least one attempt.");

    public TimeSpan RetryDelay { get; } = RetryDelay >= TimeSpan.Zero ? RetryDelay : throw new ArgumentOutOfRangeException(nameof(RetryDelay), RetryDelay, "Not negative.");
}
