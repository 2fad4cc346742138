using Integrations.Api.Identity;
using Integrations.Core.Identity.Recovery;
using Microsoft.Extensions.Options;

namespace Integrations.Api.Tests.Identity;

public sealed class RecoveryRateLimiterTests
{
    [Fact]
    public void TryAcquire_PastTheLimit_RefusesThatSourceWithAWait_AndNotOthers()
    {
        using var limiter = new RecoveryRateLimiter(Options.Create(new RecoveryOptions { RecoveryRequestsPerMinute = 3 }));

        var allowed = Enumerable.Range(0, 3).Select(_ => limiter.TryAcquire("198.51.100.1", out TimeSpan _)).ToList();
        var fourth = limiter.TryAcquire("198.51.100.1", out var wait);
        var other = limiter.TryAcquire("198.51.100.2", out _);
        // One IPv6 /64 is one budget: rotating addresses inside it buys nothing.
        var v6 = Enumerable.Range(1, 4).Select(i => limiter.TryAcquire($"2001:db8::{i}", out TimeSpan _)).ToList();

        Assert.All(allowed, Assert.True);
        Assert.False(fourth);
        Assert.True(wait > TimeSpan.Zero);
        Assert.True(other);
        Assert.Equal([true, true, true, false], v6);
    }
}
