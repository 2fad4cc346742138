using System.Globalization;
using System.Security.Cryptography;
using System.Text;
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
public sealed partial class AuditChain(
    IAuditStore store, KeyRing keys, IDistributedLock locks, AuditRetention retention, TimeProvider time, IOptions<AuditOptions> options, ILogger<AuditChain> logger)
{
    private const string SealLock = "audit-seal";
    private const string CleanupLock = "audit-cleanup";

    /// <summary>Seals every record older than <see cref="AuditOptions.SealDelay"/>. Returns how many were sealed (0 if another instance holds the job).</summary>
    public async Task<int> SealAsync(CancellationToken cancellationToken = default)
    {
        await using var held = await locks.TryAcquireAsync(SealLock, cancellationToken).ConfigureAwait(false);
        if (held is null)
        {
            return 0;
        }

        using var whileHeld = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, held.Lost);
        cancellationToken = whileHeld.Token;

        var key = await keys.GetAuditKeyAsync(cancellationToken).ConfigureAwait(false);
        var cutoff = time.GetUtcNow() - options.Value.SealDelay;
        var total = 0;
        foreach (var partition in await store.ListPartitionsAsync(cancellationToken).ConfigureAwait(false))
        {
            var state = await store.GetChainStateAsync(partition, cancellationToken).ConfigureAwait(false) ?? Genesis(partition, key);
            var records = (await store.ReadAsync(partition, state.SealedThroughTime, cutoff, cancellationToken).ConfigureAwait(false))
                .Where(r => IsAfter(r, state.SealedThroughTime, state.SealedThroughId))
                .ToList();
            if (records.Count == 0)
            {
                continue;
            }

            var hash = state.HeadHash;
            var sealedRecords = new List<AuditRecord>(records.Count);
            foreach (var record in records)
            {
                hash = Link(key, hash, record);
                sealedRecords.Add(record with { ChainHash = hash });
            }

            await store.SetChainHashesAsync(partition, sealedRecords, cancellationToken).ConfigureAwait(false);
            var last = sealedRecords[^1];
            var next = state with { SealedThroughTime = last.Time, SealedThroughId = last.Id, HeadHash = hash, SealedCount = state.SealedCount + sealedRecords.Count };
            if (await store.TrySetChainStateAsync(next, cancellationToken).ConfigureAwait(false) != WriteOutcome.Written)
            {
                Log.SealRaced(logger, partition);
                continue;
            }

            total += sealedRecords.Count;
        }

        Log.Sealed(logger, total);
        return total;
    }

    /// <summary>Checks every partition's chain and names the first record in each that does not match.</summary>
    public async Task<IReadOnlyList<AuditChainFinding>> VerifyAsync(CancellationToken cancellationToken = default)
    {
        var key = await keys.GetAuditKeyAsync(cancellationToken).ConfigureAwait(false);
        var findings = new List<AuditChainFinding>();
        foreach (var partition in await store.ListPartitionsAsync(cancellationToken).ConfigureAwait(false))
        {
            var state = await store.GetChainStateAsync(partition, cancellationToken).ConfigureAwait(false);
            if (state is null)
            {
                continue;
            }

            if (VerifyPartition(key, state, await store.ReadAsync(partition, state.AnchorTime, state.SealedThroughTime, cancellationToken).ConfigureAwait(false)) is { } finding)
            {
                findings.Add(finding);
            }
        }

        return findings;
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

        var now = time.GetUtcNow();
        var deleted = 0;
        foreach (var partition in await store.ListPartitionsAsync(cancellationToken).ConfigureAwait(false))
        {
            var cutoff = now - await retention.ForPartitionAsync(partition, cancellationToken).ConfigureAwait(false);
            var state = await store.GetChainStateAsync(partition, cancellationToken).ConfigureAwait(false);
            if (state is null || state.AnchorTime >= cutoff)
            {
                continue;
            }

            // Only sealed records go: an unsealed one would leave no anchor to verify from.
            var through = state.SealedThroughTime < cutoff ? state.SealedThroughTime : cutoff;
            var expired = (await store.ReadAsync(partition, state.AnchorTime, through, cancellationToken).ConfigureAwait(false))
                .Where(r => r.Time < cutoff && r.ChainHash is not null && IsAfter(r, state.AnchorTime, state.AnchorId))
                .ToList();
            if (expired.Count == 0)
            {
                continue;
            }

            // The anchor moves first: a crash before the delete leaves records the verifier skips, never a broken chain.
            var last = expired[^1];
            var anchored = state with { AnchorTime = last.Time, AnchorId = last.Id, AnchorHash = last.ChainHash! };
            if (await store.TrySetChainStateAsync(anchored, cancellationToken).ConfigureAwait(false) != WriteOutcome.Written)
            {
                continue;
            }

            await store.DeleteAsync(partition, expired, cancellationToken).ConfigureAwait(false);
            deleted += expired.Count;
        }

        Log.CleanedUp(logger, deleted);
        return deleted;
    }

    internal static AuditChainFinding? VerifyPartition(AuditKey key, AuditChainState state, IReadOnlyList<AuditRecord> records)
    {
        var hash = state.AnchorHash;
        string? lastId = null;
        foreach (var record in records.Where(r => IsAfter(r, state.AnchorTime, state.AnchorId)))
        {
            if (record.ChainHash is null)
            {
                return new(state.Partition, record.Id, "The record is older than the sealed head but not sealed: it was inserted after sealing.");
            }

            var expected = Link(key, hash, record);
            if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(record.ChainHash)))
            {
                return new(state.Partition, record.Id, "The record does not match the chain: it was edited, or a record before it was deleted.");
            }

            hash = expected;
            lastId = record.Id;
        }

        return hash == state.HeadHash
            ? null
            : new(state.Partition, lastId, "The chain ends before its sealed head: the newest sealed records were deleted.");
    }

    internal static string Link(AuditKey key, string previousHash, AuditRecord record)
    {
        var canonical = new StringBuilder(512).Append(previousHash).Append('\n');
        foreach (var field in new[]
        {
            record.Id, record.Time.UtcTicks.ToString(CultureInfo.InvariantCulture), record.OrganizationId, record.ProjectId, record.Action,
            record.Outcome, record.Status.ToString(CultureInfo.InvariantCulture), record.ActorType, record.ActorId, record.Target,
            record.SourceIp, record.UserAgent, record.RequestId, record.CredentialHmac,
        })
        {
            // Length-prefixed, with null distinct from empty, so no two records share an encoding.
            canonical.Append(field is null ? "-1" : field.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(field).Append('\n');
        }

        if (record.Count != 1)
        {
            // Only summaries carry a count, so every record written before counts existed links exactly as it did.
            canonical.Append("count:").Append(record.Count.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        return Convert.ToBase64String(key.Mac(Encoding.UTF8.GetBytes(canonical.ToString())));
    }

    private static AuditChainState Genesis(string partition, AuditKey key)
    {
        var genesis = Convert.ToBase64String(key.Mac(Encoding.UTF8.GetBytes("ih/audit/genesis/v1\n" + partition)));
        return new AuditChainState(partition, DateTimeOffset.MinValue, "", genesis, 0, DateTimeOffset.MinValue, "", genesis);
    }

    private static bool IsAfter(AuditRecord record, DateTimeOffset time, string id) =>
        record.Time > time || (record.Time == time && string.CompareOrdinal(record.Id, id) > 0);

    private static partial class Log
    {
        [LoggerMessage(EventId = 3101, Level = LogLevel.Information, Message = "Sealed {Count} audit records.")]
        public static partial void Sealed(ILogger logger, int count);

        [LoggerMessage(EventId = 3102, Level = LogLevel.Warning, Message = "The chain state of audit partition {Partition} changed while sealing; it is sealed on the next run.")]
        public static partial void SealRaced(ILogger logger, string partition);

        [LoggerMessage(EventId = 3103, Level = LogLevel.Information, Message = "Deleted {Count} audit records past their organization's retention.")]
        public static partial void CleanedUp(ILogger logger, int count);
    }
}
