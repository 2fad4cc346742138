using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using Integrations.Api.Routing;
using Integrations.Core.Identity;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Integrations.Api.Pipeline;

/// <summary>
/// Step 2: per-instance limits on fixed one-minute windows (System.Threading.RateLimiting; the same code in both
/// shells). Failed authentications are counted per source address: once an address has used its budget, its failures
/// are answered 429 and its credentials are no longer looked up in storage (only keys this instance already holds
/// still work), so a flood of made-up keys costs no storage read each. Authenticated calls are counted per credential
/// and route policy.
/// </summary>
public sealed class RateLimitStep : IDisposable
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private readonly RateLimitOptions _options;
    private readonly PartitionedRateLimiter<string> _failures;
    private readonly PartitionedRateLimiter<(string Policy, string Caller)> _callers;

    public RateLimitStep(IOptions<RateLimitOptions> options)
    {
        _options = options.Value;
        _failures = PartitionedRateLimiter.Create<string, string>(
            address => RateLimitPartition.GetFixedWindowLimiter(address, _ => Limit(_options.FailedAuthenticationsPerMinute)));
        _callers = PartitionedRateLimiter.Create<(string Policy, string Caller), (string Policy, string Caller)>(
            key => RateLimitPartition.GetFixedWindowLimiter(key, k => Limit(LimitOf(k.Policy))));
    }

    /// <summary>Where the request came from, as the limits and the audit log count it (see <see cref="SourceAddress"/>).</summary>
    public string SourceOf(HttpContext context) => SourceAddress.Of(context, _options.TrustForwardedFor);

    /// <summary>
    /// The budget a source address draws on: the address itself, but a whole IPv6 /64 for IPv6 — one subscriber's
    /// allocation, so rotating through its addresses buys no fresh budget.
    /// </summary>
    public static string BucketOf(string sourceAddress)
    {
        ArgumentNullException.ThrowIfNull(sourceAddress);
        if (!IPAddress.TryParse(sourceAddress, out var address) || address.AddressFamily != AddressFamily.InterNetworkV6 || address.IsIPv4MappedToIPv6)
        {
            return sourceAddress;
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return new IPAddress(bytes) + "/64";
    }

    /// <summary>True while <paramref name="sourceAddress"/> still has failed authentications to spend this window.</summary>
    public bool MayLookUpCredentials(string sourceAddress)
    {
        using var probe = _failures.AttemptAcquire(BucketOf(sourceAddress), 0);
        return probe.IsAcquired;
    }

    /// <summary>Counts a failed authentication; false (with the wait) once the address is over its limit.</summary>
    public bool TryCountFailure(string sourceAddress, out TimeSpan retryAfter) => TryAcquire(_failures, BucketOf(sourceAddress), out retryAfter);

    /// <summary>Counts an authenticated call; false (with the wait) once the caller is over its route policy's limit.</summary>
    public bool TryAcquire(string policy, Caller caller, out TimeSpan retryAfter)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (policy == RateLimitPolicies.None)
        {
            retryAfter = TimeSpan.Zero;
            return true;
        }

        return TryAcquire(_callers, (policy, caller.Id), out retryAfter);
    }

    /// <summary>Counts an anonymous call from <paramref name="sourceAddress"/> (its /64 for IPv6) under <paramref name="policy"/>.</summary>
    public bool TryAcquireForSource(string policy, string sourceAddress, out TimeSpan retryAfter)
    {
        ArgumentNullException.ThrowIfNull(sourceAddress);
        if (policy == RateLimitPolicies.None)
        {
            retryAfter = TimeSpan.Zero;
            return true;
        }

        // "source:" keeps an address's budget apart from any credential id (which never contains a colon after that word).
        return TryAcquire(_callers, (policy, "source:" + BucketOf(sourceAddress)), out retryAfter);
    }

    public void Dispose()
    {
        _failures.Dispose();
        _callers.Dispose();
    }

    private static bool TryAcquire<TKey>(PartitionedRateLimiter<TKey> limiter, TKey key, out TimeSpan retryAfter)
    {
        using var lease = limiter.AttemptAcquire(key);
        if (lease.IsAcquired)
        {
            retryAfter = TimeSpan.Zero;
            return true;
        }

        retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : Window;
        return false;
    }

    private int LimitOf(string policy) => _options.Policies.TryGetValue(policy, out var limit) ? limit : _options.PerCredentialPerMinute;

    private static FixedWindowRateLimiterOptions Limit(int permits) => new()
    {
        PermitLimit = permits,
        Window = Window,
        QueueLimit = 0,
        AutoReplenishment = true,
    };
}
