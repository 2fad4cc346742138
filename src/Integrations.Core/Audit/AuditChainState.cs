namespace Integrations.Core.Audit;

/// <summary>Where a partition's hash chain stands: sealed through which record, and the anchor left by retention cleanup.</summary>
public sealed record AuditChainState(
    string Partition,
    DateTimeOffset SealedThroughTime,
    string SealedThroughId,
    string HeadHash,
    long SealedCount,
    DateTimeOffset AnchorTime,
    string AnchorId,
    string AnchorHash,
    string? ETag = null);
