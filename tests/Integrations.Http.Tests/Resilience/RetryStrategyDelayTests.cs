using System.Net;
using Integrations.Http.Resilience;
using Integrations.Http.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Polly;

namespace Integrations.Http.Tests.Resilience;

/// <summary>
/// Each named strategy's delays, on fake time: the pipeline runs against an attempt that always fails with a 503, the
/// fake clock fires each retry delay as it is scheduled, and the test reads the delays back — no sleeping.
/// </summary>
public sealed class RetryStrategyDelayTests
{
    public static TheoryData<string, double[]> FixedSequences => new()
    {
        { RetryStrategies.Linear1s, [1, 1, 1] },
        { RetryStrategies.Linear2s, [2, 2, 2] },
        { RetryStrategies.Linear3s, [3, 3, 3] },
        { RetryStrategies.Linear4s, [4, 4, 4] },
        { RetryStrategies.ExponentialBackoff, [1, 2, 4, 8] },
    };

    [Theory]
    [MemberData(nameof(FixedSequences))]
    public async Task Strategy_AlwaysFailing_WaitsItsDelaySequence(string name, double[] seconds)
    {
        await using var host = OutboundTestHost.Create();

        var (attempts, elapsed) = await RunAsync(host, name, maxAttempts: null);

        Assert.Equal(seconds.Select(TimeSpan.FromSeconds), host.Time.Delays);
        Assert.Equal(RetryStrategies.Get(name).MaxAttempts, attempts);
        Assert.Equal(TimeSpan.FromSeconds(seconds.Sum()), elapsed);
    }

    [Fact]
    public async Task Strategy_CallAsksForFewerAttempts_StopsThere()
    {
        await using var host = OutboundTestHost.Create();

        var (attempts, _) = await RunAsync(host, RetryStrategies.ExponentialBackoff, maxAttempts: 3);

        Assert.Equal(3, attempts);
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)], host.Time.Delays);
    }

    [Fact]
    public async Task ExponentialBackoffJitter_Delays_StayWithinDecorrelatedJitterBoundsAndVary()
    {
        const double Slack = 0.01;
        // Polly's DecorrelatedJitterBackoffV2 with a 1 s base: the k-th delay (k from 0) is in [0, 2^(k+1)/1.4) s and the
        // delays up to the k-th add up to between 2^k·tanh(√(4k))/1.4 and 2^(k+1)/1.4 s. 20 runs of 4 delays each.
        // A delay may lose sub-millisecond precision on its way to the timer: the bounds allow 10 ms.
        var all = new List<TimeSpan>();
        for (var run = 0; run < 20; run++)
        {
            await using var host = OutboundTestHost.Create();
            var (attempts, elapsed) = await RunAsync(host, RetryStrategies.ExponentialBackoffJitter, maxAttempts: null);
            var delays = host.Time.Delays;

            Assert.Equal(5, attempts);
            Assert.Equal(elapsed, delays.Aggregate(TimeSpan.Zero, (sum, delay) => sum + delay));
            var total = 0.0;
            for (var k = 0; k < 4; k++)
            {
                var seconds = delays[k].TotalSeconds;
                total += seconds;
                Assert.InRange(seconds, 0, (Math.Pow(2, k + 1) / 1.4) + Slack);
                Assert.InRange(total, (Math.Pow(2, k) * Math.Tanh(Math.Sqrt(4.0 * k)) / 1.4) - Slack, (Math.Pow(2, k + 1) / 1.4) + Slack);
            }

            all.AddRange(delays);
        }

        Assert.True(all.Distinct().Count() > all.Count / 2, "jittered delays should rarely repeat");
    }

    [Fact]
    public async Task ExponentialBackoffJitter_SameAttemptAcrossRuns_IsNotAlwaysTheSame()
    {
        var firstDelays = new HashSet<TimeSpan>();
        for (var run = 0; run < 5; run++)
        {
            await using var host = OutboundTestHost.Create();
            await RunAsync(host, RetryStrategies.ExponentialBackoffJitter, maxAttempts: 2);
            firstDelays.Add(Assert.Single(host.Time.Delays));
        }

        Assert.True(firstDelays.Count > 1);
    }

    [Fact]
    public void Get_UnknownName_ThrowsNamingTheKnownOnes()
    {
        var exception = Assert.Throws<ArgumentException>(() => RetryStrategies.Get("linear_5s"));

        Assert.Contains("exponential_backoff_jitter", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void All_HasTheSeedsSixStrategies()
    {
        Assert.Equal(
            ["exponential_backoff", "exponential_backoff_jitter", "linear_1s", "linear_2s", "linear_3s", "linear_4s"],
            RetryStrategies.All.Keys.Order(StringComparer.Ordinal));
    }

    private static async Task<(int Attempts, TimeSpan Elapsed)> RunAsync(OutboundTestHost host, string name, int? maxAttempts)
    {
        var pipelines = host.Services.GetRequiredService<OutboundPipelines>();
        var strategy = RetryStrategies.Get(name);
        var context = ResilienceContextPool.Shared.Get();
        context.Properties.Set(OutboundContextKeys.MaxAttempts, maxAttempts ?? strategy.MaxAttempts);
        var started = host.Time.GetUtcNow();
        var attempts = 0;
        try
        {
            var outcome = await pipelines.ForStrategy(strategy).ExecuteOutcomeAsync(
                (_, _) =>
                {
                    attempts++;
                    return ValueTask.FromResult(Outcome.FromResult(new HttpResponseMessage(HttpStatusCode.ServiceUnavailable)));
                },
                context,
                0);
            outcome.Result?.Dispose();
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }

        return (attempts, host.Time.GetUtcNow() - started);
    }
}
