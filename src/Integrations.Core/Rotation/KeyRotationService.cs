using Integrations.Core.Common;
using Integrations.Core.Crypto;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Integrations.Core.Rotation;

/// <summary>
/// Online KEK rotation. Reads and writes keep working throughout: old KEKs stay loaded until retired, and new
/// values are sealed under the new KEK as soon as it is active. Every step is idempotent, so a run killed at
/// any point resumes by running again; only the holder of the rotation lock works on it.
/// </summary>
public sealed partial class KeyRotationService(
    IKeyRotationStore rotations,
    IEnumerable<ISealedValueSource> sources,
    KeyRing keyRing,
    KekLifecycle keks,
    IDistributedLock locks,
    TimeProvider time,
    IOptions<KeyWrappingOptions> options,
    ILogger<KeyRotationService> logger)
{
    private const string LockName = "key-rotation";
    private const int ProgressEvery = 100;
    private const int MaxVerifyPasses = 5;

    /// <summary>Starts a rotation, or returns the one already in progress (idempotent).</summary>
    public async Task<KeyRotation> StartAsync(RotationKind kind, CancellationToken cancellationToken = default)
    {
        if (await rotations.GetInProgressAsync(cancellationToken).ConfigureAwait(false) is { } running)
        {
            return running;
        }

        var now = time.GetUtcNow();
        var rotation = new KeyRotation(Ids.New("rot"), kind, RotationStatus.Pending, kind == RotationKind.DataKeys ? Ids.New("kek") : null, [], 0, 0, now, now);
        var existing = await rotations.TryStartAsync(rotation, cancellationToken).ConfigureAwait(false);
        if (existing is not null)
        {
            return await rotations.GetAsync(existing, cancellationToken).ConfigureAwait(false) ?? rotation;
        }

        Log.Started(logger, rotation.Id, kind);
        return (await rotations.GetAsync(rotation.Id, cancellationToken).ConfigureAwait(false))!;
    }

    public Task<KeyRotation?> GetAsync(string id, CancellationToken cancellationToken = default) =>
        Ids.IsValid("rot", id) ? rotations.GetAsync(id, cancellationToken) : Task.FromResult<KeyRotation?>(null);

    /// <summary>
    /// Runs (or resumes) rotation <paramref name="id"/> to completion. Returns its latest state; when another
    /// instance holds the rotation lock, returns at once with the state as stored.
    /// </summary>
    public async Task<KeyRotation?> RunAsync(string id, IProgress<KeyRotation>? progress = null, CancellationToken cancellationToken = default)
    {
        await using var held = await locks.TryAcquireAsync(LockName, cancellationToken).ConfigureAwait(false);
        var rotation = await rotations.GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (held is null || rotation is null || rotation.Status == RotationStatus.Completed)
        {
            return rotation;
        }

        using var whileHeld = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, held.Lost);
        cancellationToken = whileHeld.Token;

        if (rotation.Kind == RotationKind.RootKey)
        {
            var count = await keks.RewrapWithCurrentRootAsync(cancellationToken).ConfigureAwait(false);
            return await CompleteAsync(rotation with { Total = count, Done = count }, progress, cancellationToken).ConfigureAwait(false);
        }

        if (rotation.Status == RotationStatus.Pending)
        {
            var newKekId = rotation.NewKekId!;
            await keks.EnsureKekAsync(newKekId, cancellationToken).ConfigureAwait(false);
            await keks.ActivateAsync(newKekId, cancellationToken).ConfigureAwait(false);
            var retiring = (await keks.ListKekIdsAsync(cancellationToken).ConfigureAwait(false)).Where(k => k != newKekId).ToList();
            rotation = await SaveAsync(rotation with
            {
                Status = RotationStatus.Rewrapping,
                RetiringKekIds = retiring,
                Total = await CountAsync(retiring, cancellationToken).ConfigureAwait(false),
            }, progress, cancellationToken).ConfigureAwait(false);
        }

        if (rotation.Status == RotationStatus.Rewrapping)
        {
            rotation = await RewrapPassAsync(rotation, progress, cancellationToken).ConfigureAwait(false);
            rotation = await SaveAsync(rotation with { Status = RotationStatus.Verifying }, progress, cancellationToken).ConfigureAwait(false);
        }

        // Other instances may seal with an old KEK until they re-read the active one, and a value sealed just before
        // that may still be on its way to storage: wait out both, then verify.
        var state = await keyRing.GetStateAsync(cancellationToken).ConfigureAwait(false);
        var settled = state.ActivatedAt + options.Value.ActiveKeyRefreshInterval + options.Value.RotationSettleTime;
        var wait = settled - time.GetUtcNow();
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
        }

        for (var pass = 0; pass < MaxVerifyPasses; pass++)
        {
            var remaining = await CountAsync(rotation.RetiringKekIds, cancellationToken).ConfigureAwait(false);
            if (remaining == 0)
            {
                foreach (var kekId in rotation.RetiringKekIds)
                {
                    await keks.RetireAsync(kekId, cancellationToken).ConfigureAwait(false);
                }

                return await CompleteAsync(rotation with { Done = Math.Max(rotation.Done, rotation.Total) }, progress, cancellationToken).ConfigureAwait(false);
            }

            Log.VerifyFound(logger, rotation.Id, remaining);
            rotation = await RewrapPassAsync(rotation with { Total = rotation.Total + remaining }, progress, cancellationToken).ConfigureAwait(false);
        }

        throw new InvalidOperationException($"Rotation {rotation.Id}: values wrapped by a retiring KEK keep appearing; it stays in progress and resumes on the next run.");
    }

    private async Task<KeyRotation> RewrapPassAsync(KeyRotation rotation, IProgress<KeyRotation>? progress, CancellationToken cancellationToken)
    {
        var target = await keyRing.GetAsync(rotation.NewKekId!, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"The new KEK {rotation.NewKekId} is missing or retired.");
        var sinceSave = 0;
        foreach (var source in sources)
        {
            await foreach (var row in source.ListAsync(rotation.RetiringKekIds, cancellationToken).ConfigureAwait(false))
            {
                var current = await keyRing.GetAsync(row.Value.KekId, cancellationToken).ConfigureAwait(false)
                    ?? throw new InvalidOperationException($"KEK {row.Value.KekId} is retired but still wraps a value.");
                var rewrapped = EnvelopeCipher.Rewrap(row.Value, row.Context, current, target);
                // A conflict means the row changed since it was read; the verify pass re-reads whatever is still under an old KEK.
                if (await source.TryReplaceAsync(row, rewrapped, cancellationToken).ConfigureAwait(false) != WriteOutcome.Written)
                {
                    Log.RewrapRaced(logger, rotation.Id);
                }

                rotation = rotation with { Done = rotation.Done + 1 };
                if (++sinceSave >= ProgressEvery)
                {
                    rotation = await SaveAsync(rotation, progress, cancellationToken).ConfigureAwait(false);
                    sinceSave = 0;
                }
            }
        }

        return await SaveAsync(rotation, progress, cancellationToken).ConfigureAwait(false);
    }

    private async Task<long> CountAsync(IReadOnlyCollection<string> kekIds, CancellationToken cancellationToken)
    {
        if (kekIds.Count == 0)
        {
            return 0;
        }

        long total = 0;
        foreach (var source in sources)
        {
            total += await source.CountAsync(kekIds, cancellationToken).ConfigureAwait(false);
        }

        return total;
    }

    private async Task<KeyRotation> CompleteAsync(KeyRotation rotation, IProgress<KeyRotation>? progress, CancellationToken cancellationToken)
    {
        var completed = await SaveAsync(rotation with { Status = RotationStatus.Completed, CompletedAt = time.GetUtcNow() }, progress, cancellationToken).ConfigureAwait(false);
        Log.Completed(logger, rotation.Id, rotation.Done);
        return completed;
    }

    private async Task<KeyRotation> SaveAsync(KeyRotation rotation, IProgress<KeyRotation>? progress, CancellationToken cancellationToken)
    {
        var updated = rotation with { UpdatedAt = time.GetUtcNow() };
        if (await rotations.TryUpdateAsync(updated, cancellationToken).ConfigureAwait(false) != WriteOutcome.Written)
        {
            // Only the lock holder writes progress, so a mismatch is our own stale ETag after a retried write.
            var stored = await rotations.GetAsync(rotation.Id, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"Rotation {rotation.Id} vanished.");
            updated = updated with { ETag = stored.ETag };
            if (await rotations.TryUpdateAsync(updated, cancellationToken).ConfigureAwait(false) != WriteOutcome.Written)
            {
                throw new InvalidOperationException($"Rotation {rotation.Id} is being changed by another runner.");
            }
        }

        var saved = await rotations.GetAsync(rotation.Id, cancellationToken).ConfigureAwait(false) ?? updated;
        progress?.Report(saved);
        return saved;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Key rotation {RotationId} ({Kind}) started.")]
        public static partial void Started(ILogger logger, string rotationId, RotationKind kind);

        [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Key rotation {RotationId}: verification found {Remaining} values still under a retiring KEK; re-wrapping them.")]
        public static partial void VerifyFound(ILogger logger, string rotationId, long remaining);

        [LoggerMessage(EventId = 2004, Level = LogLevel.Debug, Message = "Key rotation {RotationId}: a value changed while it was being re-wrapped; it is picked up by the next pass.")]
        public static partial void RewrapRaced(ILogger logger, string rotationId);

        [LoggerMessage(EventId = 2003, Level = LogLevel.Information, Message = "Key rotation {RotationId} completed: {Done} values re-wrapped.")]
        public static partial void Completed(ILogger logger, string rotationId, long done);
    }
}
