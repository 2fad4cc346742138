using Integrations.Core.Crypto;

namespace Integrations.Core.Audit;

/// <summary>
/// Verifies one partition's chain record by record, in chain order, holding only the last hash: the caller streams
/// the partition through <see cref="Add"/> a page at a time, so a partition of any size verifies in bounded memory.
/// </summary>
internal sealed class AuditChainWalk(AuditChainState state, IReadOnlyDictionary<string, AuditKey> keys, AuditCheckpointEntry? checkpoint)
{
    private string _hash = state.AnchorHash;
    private string? _lastId;
    private bool _checkpointHeadSeen;
    private AuditChainFinding? _finding;

    /// <summary>How many records lie on the chain after the anchor, through the head.</summary>
    public long Count { get; private set; }

    /// <summary>Takes the next record in chain order; false once a finding makes the rest moot.</summary>
    public bool Add(AuditRecord record)
    {
        if (_finding is not null || !AuditChain.IsAfter(record, state.AnchorTime, state.AnchorId))
        {
            return _finding is null;
        }

        if (AuditChain.IsAfter(record, state.SealedThroughTime, state.SealedThroughId))
        {
            // Sealing never writes a hash past the head it then stores: a sealed record here means the head was moved back.
            if (record.ChainHash is not null)
            {
                _finding = new(state.Partition, record.Id,
                    "A sealed record lies past the chain's head: the head was moved back (or a seal run crashed; the next run keeps links that continue the chain).");
            }

            return _finding is null;
        }

        if (record.ChainHash is null)
        {
            _finding = new(state.Partition, record.Id, "The record is older than the sealed head but not sealed: it was inserted after sealing.");
        }
        else if (!AuditSignatures.LinkMatches(keys, _hash, record, record.ChainHash))
        {
            _finding = new(state.Partition, record.Id, "The record does not match the chain: it was edited, or a record before it was deleted.");
        }
        else
        {
            _hash = record.ChainHash;
            _lastId = record.Id;
            Count++;
            if (checkpoint is not null && record.Id == checkpoint.SealedThroughId && AuditSignatures.Same(record.ChainHash, checkpoint.Head))
            {
                _checkpointHeadSeen = true;
            }
        }

        return _finding is null;
    }

    /// <summary>The first place the chain does not match, or null. <paramref name="checkCount"/> is false for an unsigned state (its anchor count is unknown).</summary>
    public AuditChainFinding? Finish(bool checkCount)
    {
        if (_finding is not null)
        {
            return _finding;
        }

        if (!AuditSignatures.Same(_hash, state.HeadHash))
        {
            return new(state.Partition, _lastId, "The chain ends before its sealed head: the newest sealed records were deleted.");
        }

        return checkCount && Count != state.SealedCount - state.AnchorCount
            ? new(state.Partition, _lastId, $"The chain holds {Count} records where its state counts {state.SealedCount - state.AnchorCount}: records were deleted.")
            : null;
    }

    /// <summary>Whether the chain still reaches what the checkpoint recorded; call after <see cref="Finish"/>.</summary>
    public AuditChainFinding? CheckCheckpoint()
    {
        if (checkpoint is null)
        {
            return null;
        }

        if (state.SealedCount < checkpoint.Count)
        {
            return new(state.Partition, _lastId,
                $"The chain has {state.SealedCount} sealed records, fewer than the {checkpoint.Count} the checkpoint recorded: the newest sealed records were cut off.");
        }

        // Cleanup may since have deleted the record the checkpoint ended at; otherwise it must still be on the chain with the same hash.
        var checkpointHeadKept = checkpoint.Count > state.AnchorCount;
        var rewritten = checkpointHeadKept ? !_checkpointHeadSeen : state.SealedCount == checkpoint.Count && !AuditSignatures.Same(state.HeadHash, checkpoint.Head);
        return rewritten
            ? new(state.Partition, checkpoint.SealedThroughId, "The record the checkpoint ends at is not on the chain with the hash it recorded: sealed history was rewritten.")
            : null;
    }
}
