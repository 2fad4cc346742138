namespace Integrations.Core.Audit;

/// <summary>What <see cref="AuditChain.VerifyAsync"/> found: every place the log does not match, and what it checked.</summary>
/// <param name="Findings">Empty when everything matches.</param>
/// <param name="SealedPartitions">Partitions with a chain (or that should have one).</param>
/// <param name="UnsealedPartitions">Partitions whose records are all too new to be sealed yet.</param>
/// <param name="Checkpoint">The latest valid checkpoint the tables were compared with; null before the first seal run.</param>
public sealed record AuditVerification(IReadOnlyList<AuditChainFinding> Findings, int SealedPartitions, int UnsealedPartitions, AuditCheckpoint? Checkpoint)
{
    /// <summary>The partition name findings about the checkpoint log itself carry.</summary>
    public const string CheckpointLog = "(checkpoints)";

    /// <summary>How many distinct partitions have a finding.</summary>
    public int FailedPartitions => Findings.Select(f => f.Partition).Distinct(StringComparer.Ordinal).Count();
}
