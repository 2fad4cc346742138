using Integrations.Core.Common;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Integrations.Core.Counters;

/// <summary>
/// Deletes counter rows older than <see cref="CounterOptions.Retention"/> (tables have no TTL), for every instance —
/// including processes long gone, whose rows nobody else would remove. One instance at a time (a blob-lease lock).
/// </summary>
public sealed partial class CounterCleanup(ICounterStore store, IDistributedLock locks, IOptions<CounterOptions> options, TimeProvider time, ILogger<CounterCleanup> logger)
{
    private const string Lock = "counters-cleanup";

    /// <summary>Deletes the expired rows; returns how many, or null when another instance holds the job's lock.</summary>
    public async Task<int?> RunAsync(CancellationToken cancellationToken = default)
    {
        await using var held = await locks.TryAcquireAsync(Lock, cancellationToken).ConfigureAwait(false);
        if (held is null)
        {
            return null;
        }

        using var whileHeld = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, held.Lost);
        var before = HubCounters.HourStartOf(time.GetUtcNow() - options.Value.Retention);
        var deleted = await store.DeleteBeforeAsync(before, whileHeld.Token).ConfigureAwait(false);
        Log.Completed(logger, deleted, before);
        return deleted;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 8724, Level = LogLevel.Information, Message = "Counter cleanup deleted {Deleted} rows of hours before {Before:O}.")]
        public static partial void Completed(ILogger logger, int deleted, DateTimeOffset before);
    }
}
