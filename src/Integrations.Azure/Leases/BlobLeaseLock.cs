using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Specialized;
using Integrations.Core.Common;
using Microsoft.Extensions.Logging;

namespace Integrations.Azure.Leases;

/// <summary>
/// A distributed lock on a blob lease: 60-second leases renewed every 20 seconds while held, so a crashed
/// holder's lock frees itself within a minute. When the lease is taken away, or renewals keep failing until it
/// may have expired, the handle's <see cref="ILockHandle.Lost"/> fires so the holder stops.
/// </summary>
public sealed partial class BlobLeaseLock(BlobContainerClient container, TimeProvider time, ILogger<BlobLeaseLock> logger) : IDistributedLock
{
    private static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan RenewEvery = TimeSpan.FromSeconds(20);

    public async Task<ILockHandle?> TryAcquireAsync(string name, CancellationToken cancellationToken = default)
    {
        var blob = container.GetBlobClient(name);
        try
        {
            await blob.UploadAsync(BinaryData.Empty, overwrite: false, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            // The lock blob exists already (and may be leased).
        }

        var lease = blob.GetBlobLeaseClient();
        try
        {
            await lease.AcquireAsync(LeaseDuration, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return null;
        }

        return new Held(lease, name, time, logger);
    }

    private sealed class Held : ILockHandle
    {
        private readonly BlobLeaseClient _lease;
        private readonly CancellationTokenSource _stop = new();
        private readonly CancellationTokenSource _lost = new();
        private readonly Task _renewal;

        public Held(BlobLeaseClient lease, string name, TimeProvider time, ILogger logger)
        {
            _lease = lease;
            _renewal = RenewAsync(name, time, logger);
        }

        public CancellationToken Lost => _lost.Token;

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync().ConfigureAwait(false);
            await _renewal.ConfigureAwait(false);
            _stop.Dispose();
            try
            {
                await _lease.ReleaseAsync().ConfigureAwait(false);
            }
            catch (RequestFailedException)
            {
                // Expired or taken over: nothing left to release.
            }

            _lost.Dispose();
        }

        private async Task RenewAsync(string name, TimeProvider time, ILogger logger)
        {
            var renewedAt = time.GetUtcNow();
            while (!_stop.IsCancellationRequested)
            {
                try
                {
                    await Task.Delay(RenewEvery, time, _stop.Token).ConfigureAwait(false);
                    await _lease.RenewAsync(cancellationToken: _stop.Token).ConfigureAwait(false);
                    renewedAt = time.GetUtcNow();
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                catch (RequestFailedException ex)
                {
                    Log.RenewFailed(logger, ex, name);
                    // 409/412: the lease is gone or someone else's. Otherwise give up before it can have expired.
                    if (ex.Status is 409 or 412 || time.GetUtcNow() - renewedAt > LeaseDuration - RenewEvery)
                    {
                        Log.Lost(logger, name);
                        await _lost.CancelAsync().ConfigureAwait(false);
                        return;
                    }
                }
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "Renewing the lease of lock {Name} failed.")]
        public static partial void RenewFailed(ILogger logger, Exception exception, string name);

        [LoggerMessage(EventId = 4002, Level = LogLevel.Error, Message = "Lock {Name} was lost; the work under it stops and is retried later.")]
        public static partial void Lost(ILogger logger, string name);
    }
}
