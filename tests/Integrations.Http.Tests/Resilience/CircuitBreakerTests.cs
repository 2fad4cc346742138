using Integrations.Http.Client;
using Integrations.Http.Resilience;
using Integrations.Http.Tests.Support;
using Microsoft.AspNetCore.Http;

namespace Integrations.Http.Tests.Resilience;

/// <summary>One breaker per target key: a failing target's circuit opens, and other targets — on the same server — go on.</summary>
public sealed class CircuitBreakerTests
{
    private static readonly Dictionary<string, string?> Breaker = new()
    {
        ["CircuitBreaker:MinimumThroughput"] = "2",
        ["CircuitBreaker:FailureRatio"] = "0.5",
        ["CircuitBreaker:SamplingDuration"] = "00:00:30",
        ["CircuitBreaker:BreakDuration"] = "00:01:00",
    };

    [Fact]
    public async Task SendAsync_TargetAFailing_OpensOnlyAsCircuit()
    {
        var healthy = false;
        var requestsToA = 0;
        await using var server = await LoopbackServer.StartAsync(async (context, _) =>
        {
            if (context.Request.Path == "/a")
            {
                Interlocked.Increment(ref requestsToA);
                context.Response.StatusCode = Volatile.Read(ref healthy) ? 200 : 500;
            }

            await context.Response.WriteAsync("done");
        });
        await using var host = OutboundTestHost.Create(settings: Breaker);
        var a = new OutboundCallOptions { Strategy = RetryStrategies.Linear1s, MaxAttempts = 2, TargetKey = "conn_a" };
        var b = new OutboundCallOptions { Strategy = RetryStrategies.Linear1s, MaxAttempts = 2, TargetKey = "conn_b" };

        // Two failed attempts of A: the ratio is met and A's circuit opens.
        using var failing = await host.Client.SendAsync(new(HttpMethod.Get, server.Url("/a")), a);
        using var shortCircuited = await host.Client.SendAsync(new(HttpMethod.Get, server.Url("/a")), a);
        using var otherTarget = await host.Client.SendAsync(new(HttpMethod.Get, server.Url("/b")), b);

        Assert.Equal(OutboundErrorKind.Server, failing.Failure?.Kind);
        Assert.Equal(OutboundErrorKind.CircuitOpen, shortCircuited.Failure?.Kind);
        Assert.Equal("CIRCUIT_OPEN", shortCircuited.Failure?.Code);
        Assert.Equal(1, shortCircuited.Attempts);
        Assert.NotNull(shortCircuited.Failure?.RetryAfter);
        Assert.Equal(2, requestsToA);
        Assert.True(otherTarget.IsSuccess, otherTarget.Failure?.Reason);
        Assert.Single(host.Logs.Entries, entry => entry.EventId.Id == 7004 && entry.Message.Contains("conn_a", StringComparison.Ordinal));

        // After the break, one trial call goes through and, as A has recovered, closes the circuit.
        Volatile.Write(ref healthy, true);
        host.Time.Advance(TimeSpan.FromMinutes(1));
        using var trial = await host.Client.SendAsync(new(HttpMethod.Get, server.Url("/a")), a);

        Assert.True(trial.IsSuccess, trial.Failure?.Reason);
        Assert.Equal(3, requestsToA);
    }

    [Fact]
    public async Task SendAsync_ClientErrors_DoNotOpenTheCircuit()
    {
        await using var server = await LoopbackServer.StatusAsync(404);
        await using var host = OutboundTestHost.Create(settings: Breaker);
        var options = new OutboundCallOptions { TargetKey = "conn_404" };

        for (var i = 0; i < 5; i++)
        {
            using var result = await host.Client.SendAsync(new(HttpMethod.Get, server.Url()), options);
            Assert.Equal(OutboundErrorKind.NotFound, result.Failure?.Kind);
        }

        Assert.Equal(5, server.Requests);
    }

    [Fact]
    public async Task SendAsync_NoTargetKey_KeysTheBreakerByAuthority()
    {
        await using var failing = await LoopbackServer.StatusAsync(500);
        await using var healthy = await LoopbackServer.StatusAsync(200);
        await using var host = OutboundTestHost.Create(settings: Breaker);
        var options = new OutboundCallOptions { Strategy = RetryStrategies.Linear1s, MaxAttempts = 2 };

        using var first = await host.Client.SendAsync(new(HttpMethod.Get, failing.Url()), options);
        using var second = await host.Client.SendAsync(new(HttpMethod.Get, failing.Url()), options);
        using var other = await host.Client.SendAsync(new(HttpMethod.Get, healthy.Url()), options);

        Assert.Equal(OutboundErrorKind.CircuitOpen, second.Failure?.Kind);
        Assert.True(other.IsSuccess);
    }
}
