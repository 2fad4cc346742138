using System.Diagnostics;

namespace Integrations.Bench.Load;

/// <summary>CPU seconds spent per operation by each party during a measurement.</summary>
internal sealed record CpuShare(double ServerMs, double AzuriteMs, double BenchMs, double OtherMs);

/// <summary>The outcome of one scenario at one concurrency.</summary>
internal sealed record Measurement(string Scenario, int Callers, long Operations, long Errors, double Seconds, double P50Ms, double P99Ms, CpuShare Cpu, string? FirstError)
{
    public double OpsPerSecond => Operations / Seconds;
}

/// <summary>
/// Runs an operation from N concurrent callers for a fixed time (after a warm-up that is not recorded) and
/// records each latency with <see cref="Stopwatch.GetTimestamp"/>. Loops are bounded in time and in count.
/// </summary>
internal sealed class LoadRunner(int serverProcessId, int azuriteProcessId)
{
    private const int MaxOperationsPerCaller = 2_000_000;

    public async Task<Measurement> MeasureAsync(Scenario scenario, int callers, TimeSpan warmup, TimeSpan duration, CancellationToken cancellationToken)
    {
        if (warmup > TimeSpan.Zero)
        {
            await RunAsync(scenario.Run, callers, warmup, cancellationToken).ConfigureAwait(false);
        }

        var cpuBefore = ReadCpu();
        var started = Stopwatch.GetTimestamp();
        var callersDone = await RunAsync(scenario.Run, callers, duration, cancellationToken).ConfigureAwait(false);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var cpuAfter = ReadCpu();

        var latencies = callersDone.SelectMany(c => c.Latencies).ToArray();
        Array.Sort(latencies);
        var errors = callersDone.Sum(c => c.Errors);
        var per = Math.Max(latencies.Length + errors, 1);
        var server = (cpuAfter.Server - cpuBefore.Server) * 1000 / per;
        var azurite = (cpuAfter.Azurite - cpuBefore.Azurite) * 1000 / per;
        var bench = (cpuAfter.Bench - cpuBefore.Bench) * 1000 / per;
        var other = Math.Max(0, ((cpuAfter.Machine - cpuBefore.Machine) * 1000 / per) - server - azurite - bench);
        return new Measurement(scenario.Name, callers, latencies.Length, errors, seconds, Percentile(latencies, 0.50), Percentile(latencies, 0.99),
            new CpuShare(server, azurite, bench, other), callersDone.Select(c => c.FirstError).FirstOrDefault(e => e is not null));
    }

    /// <summary>
    /// Runs every scenario in turn, in slices of a few seconds, for <paramref name="total"/>, recording nothing: the
    /// Server and this process compile hot code again at higher tiers (tiered JIT with dynamic PGO) for a while
    /// after it first runs — on a busy 2-core machine for some 20–30 s of load — and a measurement taken meanwhile
    /// charges that compiling to the requests.
    /// </summary>
    public static async Task WarmUpAsync(IReadOnlyList<Scenario> scenarios, int callers, TimeSpan total, CancellationToken cancellationToken)
    {
        var slice = TimeSpan.FromSeconds(3);
        var end = Stopwatch.GetTimestamp() + (long)(total.TotalSeconds * Stopwatch.Frequency);
        for (var i = 0; i < 1000 && scenarios.Count > 0 && Stopwatch.GetTimestamp() < end; i++)
        {
            await RunAsync(scenarios[i % scenarios.Count].Run, callers, slice, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<CallerResult[]> RunAsync(Operation operation, int callers, TimeSpan duration, CancellationToken cancellationToken)
    {
        var end = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        return await Task.WhenAll(Enumerable.Range(0, callers).Select(_ => Task.Run(() => CallerAsync(operation, end, cancellationToken), cancellationToken)))
            .ConfigureAwait(false);
    }

    private static async Task<CallerResult> CallerAsync(Operation operation, long end, CancellationToken cancellationToken)
    {
        var result = new CallerResult();
        for (var i = 0; i < MaxOperationsPerCaller && Stopwatch.GetTimestamp() < end; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var start = Stopwatch.GetTimestamp();
            try
            {
                if (await operation(cancellationToken).ConfigureAwait(false))
                {
                    result.Latencies.Add(Stopwatch.GetTimestamp() - start);
                    continue;
                }

                result.FirstError ??= "the operation reported failure (non-2xx or unexpected row)";
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                result.FirstError ??= ex.GetType().Name + ": " + ex.Message;
            }

            result.Errors++;
        }

        return result;
    }

    private static double Percentile(long[] sortedTicks, double quantile)
    {
        if (sortedTicks.Length == 0)
        {
            return double.NaN;
        }

        // Nearest rank.
        var rank = (int)Math.Ceiling(quantile * sortedTicks.Length) - 1;
        return sortedTicks[Math.Clamp(rank, 0, sortedTicks.Length - 1)] * 1000.0 / Stopwatch.Frequency;
    }

    private (double Server, double Azurite, double Bench, double Machine) ReadCpu() =>
        (ProcessTree.CpuSeconds(serverProcessId), ProcessTree.CpuSeconds(azuriteProcessId), ProcessTree.CpuSeconds(Environment.ProcessId), ProcessTree.MachineBusySeconds());

    private sealed class CallerResult
    {
        public List<long> Latencies { get; } = new(4096);

        public long Errors { get; set; }

        public string? FirstError { get; set; }
    }
}
