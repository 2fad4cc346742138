using System.Diagnostics.CodeAnalysis;

namespace Integrations.Api.Jobs;

/// <summary>How a queue job ended a message it did not fail on.</summary>
public sealed class QueueJobOutcome
{
    private QueueJobOutcome(string? rejectionReason) => RejectionReason = rejectionReason;

    /// <summary>The work is done; the message is deleted.</summary>
    public static QueueJobOutcome Completed { get; } = new(null);

    /// <summary>Why the message was rejected; null when it completed.</summary>
    public string? RejectionReason { get; }

    [MemberNotNullWhen(true, nameof(RejectionReason))]
    public bool IsRejected => RejectionReason is not null;

    /// <summary>
    /// The message cannot be acted on and retrying cannot help (e.g. it names nothing that exists). It is recorded in
    /// the job failure log with <paramref name="reason"/> and then deleted. The reason is stored: never put a secret or
    /// the message body in it.
    /// </summary>
    public static QueueJobOutcome Rejected(string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        return new(reason);
    }
}
