namespace Integrations.Core.Audit;

/// <summary>
/// Append-only storage of signed audit checkpoints, out of reach of someone who can write the audit tables (in Azure:
/// append blobs in a container of their own under a time-based immutability policy).
/// </summary>
public interface IAuditCheckpointStore
{
    /// <summary>Appends one checkpoint line to the log of the period that holds <paramref name="time"/>.</summary>
    Task AppendAsync(DateTimeOffset time, string line, CancellationToken cancellationToken = default);

    /// <summary>Every stored line, newest first, read from the end a block at a time (the caller stops at the first valid one).</summary>
    IAsyncEnumerable<string> ReadNewestFirstAsync(CancellationToken cancellationToken = default);
}
