namespace Integrations.Core.Audit;

/// <summary>
/// Where a partition's hash chain stands: sealed through which record (the head, and how many records have ever been
/// sealed), and the anchor left by retention cleanup (the last deleted record, and how many records were sealed up to
/// it). <see cref="Mac"/> is an HMAC under audit key <see cref="KeyId"/> over every other field, the partition
/// included, so a storage writer can neither edit, move nor forge a state; a state without one was written before
/// states were signed (see <see cref="AuditChain"/> for how such a state is treated).
/// </summary>
public sealed record AuditChainState(
    string Partition,
    DateTimeOffset SealedThroughTime,
    string SealedThroughId,
    string HeadHash,
    long SealedCount,
    DateTimeOffset AnchorTime,
    string AnchorId,
    string AnchorHash,
    long AnchorCount = 0,
    string? KeyId = null,
    string? Mac = null,
    string? ETag = null)
{
    /// <summary>True for a state no cleanup has moved: the anchor is the chain's start.</summary>
    public bool AnchoredAtGenesis => AnchorId.Length == 0;
}
