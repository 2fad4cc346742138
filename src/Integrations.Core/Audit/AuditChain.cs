using Integrations.Core.Common;
using Integrations.Core.Crypto;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Integrations.Core.Audit;

/// <summary>
/// Makes the audit log tamper-evident without serialising the hot path: requests write records independently,
/// and a timer job seals them afterwards, per partition, into an HMAC chain
/// (hash_n = HMAC(audit key, hash_{n-1} ‖ record_n)). Editing, deleting or inserting a sealed record breaks the
/// chain, and without the audit key (wrapped by the root key) the chain cannot be recomputed. Retention cleanup
/// deletes the oldest sealed records and leaves an anchor, so the remaining chain still verifies.
/// </summary>
/// <remarks>
/// Against someone who can write the tables: each partition's chain state is signed (<see cref="AuditSignatures"/>),
/// so it cannot be moved back, forward or forged; a partition with sealed records but a missing or invalid state is
/// reported and never re-chained; a stored chain hash is never overwritten. Each seal run appends a signed checkpoint
/// of every partition's head to <see cref="IAuditCheckpointStore"/> (out of a table writer's reach), so replaying an
/// old signed state, cutting off the newest sealed records or wiping the tables is reported by <see cref="VerifyAsync"/>.
/// A state written before states were signed (no MAC) is signed by the next seal run after its chain verifies, unless a
/// checkpoint already names its partition (then its MAC was removed).
/// </remarks>
public sealed partial class AuditChain(
    IAuditStore store, IAuditCheckpointStore checkpoints, KeyRing keys, IDistributedLock locks, AuditRetention retention, TimeProvider time,
    IOptions<AuditOptions> options, ILogger<AuditChain> logger)
{
    /// <summary>How many records are sealed (or deleted by cleanup) per state update: a crash loses at most one batch's progress.</summary>
    internal const int Batch = 500;
    private const string SealLock = "audit-seal";
    private const string CleanupLock = "audit-cleanup";

    /// <summary>
    /// Seals every record older than <see cref="AuditOptions.SealDelay"/>, then appends a signed checkpoint. Returns how
    /// many were sealed (0 if another instance holds the job). Partitions whose state is missing, invalid or behind the
    /// latest checkpoint are left as they are and logged at Error (event 3104-3107).
    /// </summary>
    public async Task<int> SealAsync(CancellationToken cancellationToken = default)
    {
        await using var held = await locks.TryAcquireAsync(SealLock, cancellationToken).ConfigureAwait(false);
        if (held is null)
        {
            return 0;
        }

        using var whileHeld = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, held.Lost);
        cancellationToken = whileHeld.Token;

        // Re-reads the ring, so an audit key rotated on another instance signs from this run on.
        await keys.GetStateAsync(cancellationToken).ConfigureAwait(false);
        var key = await keys.GetAuditKeyAsync(cancellationToken).ConfigureAwait(false);
        var allKeys = await keys.GetAuditKeysAsync(cancellationToken).ConfigureAwait(false);
        var (previous, _) = await LatestCheckpointAsync(allKeys, cancellationToken).ConfigureAwait(false);
        var cutoff = time.GetUtcNow() - options.Value.SealDelay;
        var entries = new List<AuditCheckpointEntry>();
        var total = 0;
        foreach (var partition in await PartitionsAsync(previous, cancellationToken).ConfigureAwait(false))
        {
            var (count, state) = await SealPartitionAsync(partition, key, allKeys, previous?.For(partition), cutoff, cancellationToken).ConfigureAwait(false);
            total += count;
            // A partition left alone keeps what the last checkpoint said of it: a checkpoint never forgets a chain.
            if ((state is null ? previous?.For(partition) : Entry(state)) is { } entry)
            {
                entries.Add(entry);
            }
        }

        var checkpoint = new AuditCheckpoint(time.GetUtcNow(), entries);
        await checkpoints.AppendAsync(checkpoint.Time, checkpoint.ToLine(key), cancellationToken).ConfigureAwait(false);
        Log.Sealed(logger, total, entries.Count);
        return total;
    }

    /// <summary>Checks every partition's chain, state and count against the tables and the latest checkpoint.</summary>
    public async Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken = default)
    {
        var allKeys = await keys.GetAuditKeysAsync(cancellationToken).ConfigureAwait(false);
        var (checkpoint, invalidLines) = await LatestCheckpointAsync(allKeys, cancellationToken).ConfigureAwait(false);
        var findings = new List<AuditChainFinding>();
        if (invalidLines > 0)
        {
            findings.Add(new(AuditVerification.CheckpointLog, null,
                $"{invalidLines} checkpoint line(s) newer than the latest valid checkpoint do not verify under any audit key: they were written by someone else."));
        }

        var now = time.GetUtcNow();
        int sealedPartitions = 0, unsealedPartitions = 0;
        foreach (var partition in await PartitionsAsync(checkpoint, cancellationToken).ConfigureAwait(false))
        {
            // Cleanup may only have moved the anchor to records older than the partition's retention. That retention can
            // change (an organization may lengthen it after cleanup ran), so the check is against the platform's minimum,
            // which every retention the hub applies is at least: nothing younger can have been deleted legitimately.
            var oldestAnchor = now - options.Value.MinimumRetention;
            var found = findings.Count;
            var isSealed = await VerifyPartitionAsync(partition, allKeys, checkpoint?.For(partition), checkpoint, oldestAnchor, findings, cancellationToken).ConfigureAwait(false);
            if (isSealed || findings.Count > found)
            {
                sealedPartitions++;
            }
            else
            {
                unsealedPartitions++;
            }
        }

        return new AuditVerification(findings, sealedPartitions, unsealedPartitions, checkpoint);
    }

    /// <summary>Deletes sealed records past their retention (<see cref="AuditRetention"/>), leaving an anchor so the rest still verifies.</summary>
    public async Task<int> CleanupAsync(CancellationToken cancellationToken = default)
    {
        await using var held = await locks.TryAcquireAsync(CleanupLock, cancellationToken).ConfigureAwait(false);
        if (held is null)
        {
            return 0;
        }

        using var whileHeld = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, held.Lost);
        cancellationToken = whileHeld.Token;

        var key = await keys.GetAuditKeyAsync(cancellationToken).ConfigureAwait(false);
        var allKeys = await keys.GetAuditKeysAsync(cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var deleted = 0;
        foreach (var partition in await PartitionsAsync(null, cancellationToken).ConfigureAwait(false))
        {
            var cutoff = now - await retention.ForPartitionAsync(partition, cancellationToken).ConfigureAwait(false);
            var state = await store.GetChainStateAsync(partition, cancellationToken).ConfigureAwait(false);
            if (state is null || state.AnchorTime >= cutoff)
            {
                continue;
            }

            if (!AuditSignatures.IsSigned(allKeys, state))
            {
                // Deleting on the word of a state nobody can vouch for would let a forged state erase history.
                Log.StateInvalid(logger, partition, "cleanup skips it");
                continue;
            }

            // Only sealed records go: an unsealed one would leave no anchor to verify from.
            var through = state.SealedThroughTime < cutoff ? state.SealedThroughTime : cutoff;
            var expired = new List<AuditRecord>(Batch);
            await foreach (var record in store.ReadChainAsync(partition, state.AnchorTime, through, cancellationToken).ConfigureAwait(false))
            {
                if (record.Time >= cutoff || !IsAfter(record, state.AnchorTime, state.AnchorId) || IsAfter(record, state.SealedThroughTime, state.SealedThroughId))
                {
                    continue;
                }

                if (record.ChainHash is null)
                {
                    Log.StateInvalid(logger, partition, "an unsealed record lies inside its chain; cleanup skips it");
                    break;
                }

                expired.Add(record);
                if (expired.Count == Batch)
                {
                    if (await MoveAnchorAsync(key, state, expired, cancellationToken).ConfigureAwait(false) is not { } moved)
                    {
                        break;
                    }

                    (state, deleted) = (moved, deleted + expired.Count);
                    expired.Clear();
                }
            }

            if (expired.Count > 0 && await MoveAnchorAsync(key, state, expired, cancellationToken).ConfigureAwait(false) is not null)
            {
                deleted += expired.Count;
            }
        }

        Log.CleanedUp(logger, deleted);
        return deleted;
    }

    /// <summary>Registry ∪ the audit table's own partitions ∪ those the checkpoint names, in order, each once.</summary>
    private async Task<IReadOnlyCollection<string>> PartitionsAsync(AuditCheckpoint? checkpoint, CancellationToken cancellationToken)
    {
        var partitions = new SortedSet<string>(await store.ListPartitionsAsync(cancellationToken).ConfigureAwait(false), StringComparer.Ordinal);
        await foreach (var partition in store.ScanPartitionsAsync(cancellationToken).ConfigureAwait(false))
        {
            partitions.Add(partition);
        }

        partitions.UnionWith(checkpoint?.Partitions.Select(p => p.Partition) ?? []);
        return partitions;
    }

    private async Task<(int Sealed, AuditChainState? State)> SealPartitionAsync(
        string partition, AuditKey key, IReadOnlyDictionary<string, AuditKey> allKeys, AuditCheckpointEntry? checkpoint, DateTimeOffset cutoff,
        CancellationToken cancellationToken)
    {
        var state = await store.GetChainStateAsync(partition, cancellationToken).ConfigureAwait(false);
        var fresh = state is null;
        if (state is null)
        {
            if (checkpoint is not null)
            {
                Log.StateMissing(logger, partition, checkpoint.Count);
                return (0, null);
            }

            var genesis = AuditSignatures.Genesis(key, partition);
            state = new AuditChainState(partition, DateTimeOffset.MinValue, "", genesis, 0, DateTimeOffset.MinValue, "", genesis);
        }
        else if (state.Mac is null)
        {
            if (checkpoint is not null || await AdoptUnsignedAsync(key, allKeys, state, cancellationToken).ConfigureAwait(false) is not { } adopted)
            {
                Log.StateInvalid(logger, partition, "it carries no MAC and its chain does not vouch for it, or a checkpoint already names it");
                return (0, null);
            }

            state = adopted;
        }
        else if (!AuditSignatures.IsSigned(allKeys, state))
        {
            Log.StateInvalid(logger, partition, "its MAC does not verify");
            return (0, null);
        }

        if (checkpoint is not null && (state.SealedCount < checkpoint.Count
            || (state.SealedCount == checkpoint.Count && !AuditSignatures.Same(state.HeadHash, checkpoint.Head))))
        {
            // An earlier signed state put back (newest sealed records cut off): sealing on top would bury the gap.
            Log.BehindCheckpoint(logger, partition, state.SealedCount, checkpoint.Count);
            return (0, null);
        }

        var stored = state.ETag is null ? null : state;
        var next = state;
        var toStore = new List<AuditRecord>(Batch);
        var pending = 0;
        var total = 0;
        await foreach (var record in store.ReadChainAsync(partition, state.SealedThroughTime, cutoff, cancellationToken).ConfigureAwait(false))
        {
            if (!IsAfter(record, state.SealedThroughTime, state.SealedThroughId))
            {
                continue;
            }

            if (fresh)
            {
                if (record.ChainHash is not null)
                {
                    // Sealed records and no state: the state was deleted. Starting a new chain would re-sign whatever they now say.
                    Log.StateMissing(logger, partition, 0);
                    return (0, null);
                }

                // The genesis state is stored before any link, so a crash after storing links leaves them past a state's head
                // (kept by the next run), never sealed records without a state.
                if (await store.TrySetChainStateAsync(AuditSignatures.Sign(key, state), cancellationToken).ConfigureAwait(false) != WriteOutcome.Written
                    || await store.GetChainStateAsync(partition, cancellationToken).ConfigureAwait(false) is not { } genesisStored)
                {
                    Log.SealRaced(logger, partition);
                    return (0, null);
                }

                (fresh, stored, next) = (false, genesisStored, genesisStored);
            }

            string hash;
            if (record.ChainHash is null)
            {
                hash = AuditSignatures.Link(key, next.HeadHash, record);
                toStore.Add(record with { ChainHash = hash });
            }
            else if (AuditSignatures.LinkMatches(allKeys, next.HeadHash, record, record.ChainHash))
            {
                // Left by a run that stored hashes and crashed before its state: it continues this chain, so it is kept as it is.
                hash = record.ChainHash;
            }
            else
            {
                Log.SealedPastHead(logger, partition, record.Id);
                return (total, stored);
            }

            next = next with { SealedThroughTime = record.Time, SealedThroughId = record.Id, HeadHash = hash, SealedCount = next.SealedCount + 1 };
            if (++pending == Batch)
            {
                if (await StoreAsync(key, next, toStore, cancellationToken).ConfigureAwait(false) is not { } written)
                {
                    return (total, stored);
                }

                (total, stored, next, pending) = (total + toStore.Count, written, written, 0);
                toStore.Clear();
            }
        }

        if (pending > 0 && await StoreAsync(key, next, toStore, cancellationToken).ConfigureAwait(false) is { } last)
        {
            (total, stored) = (total + toStore.Count, last);
        }

        return (total, stored);
    }

    /// <summary>Stores the new links, then the signed state (hashes first: a crash between leaves links the next run keeps).</summary>
    private async Task<AuditChainState?> StoreAsync(AuditKey key, AuditChainState next, List<AuditRecord> sealedRecords, CancellationToken cancellationToken)
    {
        await store.SetChainHashesAsync(next.Partition, sealedRecords, cancellationToken).ConfigureAwait(false);
        if (await store.TrySetChainStateAsync(AuditSignatures.Sign(key, next), cancellationToken).ConfigureAwait(false) != WriteOutcome.Written)
        {
            Log.SealRaced(logger, next.Partition);
            return null;
        }

        return await store.GetChainStateAsync(next.Partition, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Signs a state written before states were signed, once its chain from anchor to head verifies against it.</summary>
    private async Task<AuditChainState?> AdoptUnsignedAsync(AuditKey key, IReadOnlyDictionary<string, AuditKey> allKeys, AuditChainState state, CancellationToken cancellationToken)
    {
        var walk = new AuditChainWalk(state, allKeys, checkpoint: null);
        await foreach (var record in store.ReadChainAsync(state.Partition, state.AnchorTime, state.SealedThroughTime, cancellationToken).ConfigureAwait(false))
        {
            walk.Add(record);
        }

        if (walk.Finish(checkCount: false) is not null)
        {
            return null;
        }

        // Unsigned states never recorded how many records cleanup removed; what the chain holds now tells it.
        var signed = AuditSignatures.Sign(key, state with { AnchorCount = state.SealedCount - walk.Count });
        if (await store.TrySetChainStateAsync(signed, cancellationToken).ConfigureAwait(false) != WriteOutcome.Written)
        {
            return null;
        }

        Log.UnsignedStateSigned(logger, state.Partition);
        return await store.GetChainStateAsync(state.Partition, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Returns whether the partition has a chain state (is sealed); adds what does not match to <paramref name="findings"/>.</summary>
    private async Task<bool> VerifyPartitionAsync(
        string partition, IReadOnlyDictionary<string, AuditKey> allKeys, AuditCheckpointEntry? entry, AuditCheckpoint? checkpoint, DateTimeOffset oldestAnchor,
        List<AuditChainFinding> findings, CancellationToken cancellationToken)
    {
        var state = await store.GetChainStateAsync(partition, cancellationToken).ConfigureAwait(false);
        var fresh = state is null;
        if (state is null)
        {
            if (entry is not null)
            {
                findings.Add(new(partition, null,
                    $"The partition has no chain state, but the checkpoint of {checkpoint!.Time:u} records {entry.Count} sealed records: its state (or the whole partition) was deleted."));
                return false;
            }

            await foreach (var record in store.ReadChainAsync(partition, DateTimeOffset.MinValue, DateTimeOffset.MaxValue, cancellationToken).ConfigureAwait(false))
            {
                if (record.ChainHash is not null)
                {
                    findings.Add(new(partition, record.Id, "The partition has sealed records but no chain state: its state was deleted."));
                    break;
                }
            }

            return false;
        }

        if (state.Mac is null ? entry is not null : !AuditSignatures.IsSigned(allKeys, state))
        {
            findings.Add(new(partition, null, state.Mac is null
                ? "The chain state carries no MAC, but a checkpoint names the partition: its MAC was removed."
                : "The chain state's MAC does not verify: the state was edited or forged."));
            return true;
        }

        if (!state.AnchoredAtGenesis && state.AnchorTime > oldestAnchor)
        {
            findings.Add(new(partition, state.AnchorId,
                "The chain's anchor is younger than its retention allows: records still inside the retention period were deleted."));
        }

        var walk = new AuditChainWalk(state, allKeys, entry);
        await foreach (var record in store.ReadChainAsync(partition, state.AnchorTime, DateTimeOffset.MaxValue, cancellationToken).ConfigureAwait(false))
        {
            if (!walk.Add(record))
            {
                break;
            }
        }

        if (walk.Finish(checkCount: state.Mac is not null) is { } finding)
        {
            // The walk stopped there, so whether it reached the checkpoint's head says nothing more.
            findings.Add(finding);
        }
        else if (walk.CheckCheckpoint() is { } behind)
        {
            findings.Add(behind with { Problem = $"{behind.Problem} (checkpoint of {checkpoint!.Time:u})" });
        }

        return true;
    }

    /// <summary>Moves the signed anchor to the last of <paramref name="expired"/>, then deletes them. Null when the state changed meanwhile.</summary>
    private async Task<AuditChainState?> MoveAnchorAsync(AuditKey key, AuditChainState state, List<AuditRecord> expired, CancellationToken cancellationToken)
    {
        // The anchor moves first: a crash before the delete leaves records the verifier skips, never a broken chain.
        var last = expired[^1];
        var anchored = AuditSignatures.Sign(key, state with
        {
            AnchorTime = last.Time, AnchorId = last.Id, AnchorHash = last.ChainHash!, AnchorCount = state.AnchorCount + expired.Count,
        });
        if (await store.TrySetChainStateAsync(anchored, cancellationToken).ConfigureAwait(false) != WriteOutcome.Written)
        {
            return null;
        }

        await store.DeleteAsync(state.Partition, expired, cancellationToken).ConfigureAwait(false);
        return await store.GetChainStateAsync(state.Partition, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The newest checkpoint that verifies, and how many lines newer than it do not.</summary>
    private async Task<(AuditCheckpoint? Checkpoint, int InvalidLines)> LatestCheckpointAsync(IReadOnlyDictionary<string, AuditKey> allKeys, CancellationToken cancellationToken)
    {
        var invalid = 0;
        await foreach (var line in checkpoints.ReadNewestFirstAsync(cancellationToken).ConfigureAwait(false))
        {
            if (AuditCheckpoint.Parse(line, allKeys) is { } checkpoint)
            {
                return (checkpoint, invalid);
            }

            invalid++;
        }

        return (null, invalid);
    }

    private static AuditCheckpointEntry Entry(AuditChainState state) =>
        new(state.Partition, state.SealedCount, state.HeadHash, state.SealedThroughTime.UtcTicks, state.SealedThroughId);

    internal static bool IsAfter(AuditRecord record, DateTimeOffset time, string id) =>
        record.Time > time || (record.Time == time && string.CompareOrdinal(record.Id, id) > 0);

    // Event ids 3101-3199 are the chain's. A partition the sealer leaves alone is an Error: someone changed the log.
    private static partial class Log
    {
        [LoggerMessage(EventId = 3101, Level = LogLevel.Information, Message = "Sealed {Count} audit records; checkpoint of {Partitions} partitions appended.")]
        public static partial void Sealed(ILogger logger, int count, int partitions);

        [LoggerMessage(EventId = 3102, Level = LogLevel.Warning, Message = "The chain state of audit partition {Partition} changed while sealing; it is sealed on the next run.")]
        public static partial void SealRaced(ILogger logger, string partition);

        [LoggerMessage(EventId = 3103, Level = LogLevel.Information, Message = "Deleted {Count} audit records past their organization's retention.")]
        public static partial void CleanedUp(ILogger logger, int count);

        [LoggerMessage(EventId = 3104, Level = LogLevel.Error, Message = "The chain state of audit partition {Partition} is not valid ({Reason}); it is not sealed until an operator runs `ihub audit verify` and investigates.")]
        public static partial void StateInvalid(ILogger logger, string partition, string reason);

        [LoggerMessage(EventId = 3105, Level = LogLevel.Error, Message = "Audit partition {Partition} has sealed records but no chain state (the latest checkpoint records {Count} for it); it is not re-chained.")]
        public static partial void StateMissing(ILogger logger, string partition, long count);

        [LoggerMessage(EventId = 3106, Level = LogLevel.Error, Message = "Audit partition {Partition} has a sealed record {RecordId} past its head that does not continue the chain; it is not sealed.")]
        public static partial void SealedPastHead(ILogger logger, string partition, string recordId);

        [LoggerMessage(EventId = 3107, Level = LogLevel.Error, Message = "The chain state of audit partition {Partition} ({Count} sealed) is behind the latest checkpoint ({CheckpointCount}); it is not sealed.")]
        public static partial void BehindCheckpoint(ILogger logger, string partition, long count, long checkpointCount);

        [LoggerMessage(EventId = 3108, Level = LogLevel.Warning, Message = "The unsigned chain state of audit partition {Partition} (written before states were signed) verified against its chain and is now signed.")]
        public static partial void UnsignedStateSigned(ILogger logger, string partition);
    }
}
