namespace Integrations.Core.Jobs;

/// <summary>
/// A queue message that ended without its job completing. Never holds the message body (it may carry something
/// sensitive); the poison queue keeps the body, this record keeps why.
/// </summary>
/// <param name="Queue">The Storage Queue's name (its poison queue is <c>{Queue}-poison</c>).</param>
/// <param name="Job">The queue job's name.</param>
/// <param name="MessageId">The message's id on <paramref name="Queue"/>.</param>
/// <param name="Attempts">How often the message had been received (its dequeue count).</param>
/// <param name="Kind">How it ended.</param>
/// <param name="Reason">The exception type and a safe message, or the job's own reason for a rejection.</param>
/// <param name="OccurredAt">When it was recorded.</param>
public sealed record JobFailure(string Queue, string Job, string MessageId, long Attempts, JobFailureKind Kind, string Reason, DateTimeOffset OccurredAt);
