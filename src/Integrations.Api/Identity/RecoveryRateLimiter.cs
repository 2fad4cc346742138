using System.Threading.RateLimiting;
using Integrations.Api.Pipeline;
using Integrations.Core.Identity.Recovery;
using Microsoft.Extensions.Options;

namespace Integrations.Api.Identity;

/// <summary>
/// The per-source limit of the public recovery routes (<c>Auth:RecoveryRequestsPerMinute</c>, a fixed one-minute window per
/// source address or IPv6 /64, per instance): the pipeline limits callers by credential, and these routes have none.
/// </summary>
public sealed class RecoveryRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;

    public RecoveryRateLimiter(IOptions<RecoveryOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var permits = options.Value.RecoveryRequestsPerMinute;
        _limiter = PartitionedRateLimiter.Create<string, string>(source => RateLimitPartition.GetFixedWindowLimiter(source, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits, Window = TimeSpan.FromMinutes(1), QueueLimit = 0, AutoReplenishment = true,
        }));
    }

    /// <summary>Counts a request from <paramref name="sourceAddress"/>; false (with the wait) once it is over the limit.</summary>
    public bool TryAcquire(string sourceAddress, out TimeSpan retryAfter)
    {
        using var lease = _limiter.AttemptAcquire(RateLimitStep.BucketOf(sourceAddress));
        retryAfter = lease.IsAcquired ? TimeSpan.Zero : lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
        return lease.IsAcquired;
    }

    public void Dispose() => _limiter.Dispose();
}
