using System.Diagnostics;
using System.Globalization;
using System.Text;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Integrations.Testing;
using Integrations.Testing.Webhooks;

namespace Integrations.Bench.Load;

/// <summary>
/// <c>--suite outbound</c> (issue 10's speed targets): messages accepted per second and deliveries completed per second
/// to a receiver on loopback (in this process), with one and then two Server processes on the same storage, next to the
/// queue work a delivery cannot avoid done with the Azure SDK on the same Azurite (<see cref="OutboundLoad"/>), measured
/// in the same run right before each hub phase.
/// </summary>
internal static class OutboundBench
{
    /// <summary>Hub deliveries per second must reach this share of the baseline's operations per second.</summary>
    public const double ThroughputTarget = 0.7;

    /// <summary>Two instances must deliver this multiple of one instance's deliveries per second (where the machine is not the bottleneck).</summary>
    public const double ScaleOutTarget = 1.5;

    /// <summary>Busier than this share of all cores, the machine (not the hub) is the bottleneck.</summary>
    public const double CpuBoundShare = 0.9;

    /// <summary>
    /// Azurite using at least this many cores is the bottleneck: its JavaScript runs on one thread (1.0–1.15 cores
    /// measured at its ceiling, with its garbage collector and I/O threads), so a second Server cannot make it serve more.
    /// </summary>
    public const double StorageBoundCores = 0.9;

    private const string Prefix = "benchout";

    public static async Task<int> RunAsync(LoadOptions options, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var loadBefore = ProcessTree.LoadAverage();
        IReadOnlyList<int> callers = options.CallersGiven ? options.Callers : [32];
        Console.WriteLine(Invariant(
            $"Outbound suite. Server {HubServerProcess.Version}. At most {options.Messages} messages per phase. Instances {string.Join(',', options.Instances)}; callers {string.Join(',', callers)}; {options.Warmup.TotalSeconds:F0} s warm-up + {options.Duration.TotalSeconds:F0} s per phase; {Environment.ProcessorCount} cores; load average {loadBefore}."));
        await using var azurite = await AzuriteInstance.StartAsync(cancellationToken);
        var azuritePid = ProcessTree.Children(Environment.ProcessId, "node").FirstOrDefault();
        await using var receiver = await LoopbackWebhookReceiver.StartAsync(cancellationToken);
        // Development: the receiver is plain http; the outbound guard opened to loopback. --server-env wins over both.
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["OutboundHttp__AllowedNetworks__0"] = "127.0.0.0/8",
        };
        foreach (var (name, value) in options.ServerEnvironment)
        {
            environment[name] = value;
        }

        var lifetime = options.MaxRunTime + TimeSpan.FromMinutes(1);
        await using var first = await HubServerProcess.StartAsync(azurite.ConnectionString, Prefix, lifetime, environment, cancellationToken);
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1024, UseCookies = false, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5) })
        {
            Timeout = TimeSpan.FromSeconds(60),
        };
        await first.WaitUntilReadyAsync(http, cancellationToken);
        var api = new HubApi(http, first.BaseAddress);
        var (organizationId, apiKey) = await api.CreateOrganizationAsync(first.AdminKey, cancellationToken);
        var projectId = await api.CreateProjectAsync(apiKey, cancellationToken);
        var endpointId = await api.CreateWebhookEndpointAsync(apiKey, projectId, receiver.Url, cancellationToken);
        var load = new OutboundLoad(http, apiKey, organizationId, projectId, endpointId, new TableServiceClient(azurite.ConnectionString),
            new QueueServiceClient(azurite.ConnectionString, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 }), Prefix);
        await load.CreateBaselineStorageAsync(cancellationToken);
        Console.WriteLine(Invariant($"Server on {first.BaseAddress} (pid {first.ServerProcessId}), Azurite pid {azuritePid}, receiver {receiver.Url}, endpoint {endpointId}; {clock.Elapsed.TotalSeconds:F1} s."));

        var runner = new LoadRunner(first.ServerProcessId, azuritePid);
        var baselines = new List<(int Instances, BaselineBracket Result)>();
        var hubs = new List<OutboundMeasurement>();
        var closedLoops = new List<(int Instances, Measurement Result)>();
        HubServerProcess? second = null;
        try
        {
            foreach (var instances in options.Instances)
            {
                if (instances == 2 && second is null)
                {
                    second = await HubServerProcess.StartAsync(azurite.ConnectionString, Prefix, lifetime, environment, cancellationToken, first.RootKey, first.AdminKey);
                    await second.WaitUntilReadyAsync(http, cancellationToken);
                    Console.WriteLine(Invariant($"Second Server on {second.BaseAddress} (pid {second.ServerProcessId}); {clock.Elapsed.TotalSeconds:F1} s."));
                }

                List<(Uri, int)> servers = instances == 1
                    ? [(first.BaseAddress, first.ServerProcessId)]
                    : [(first.BaseAddress, first.ServerProcessId), (second!.BaseAddress, second.ServerProcessId)];
                // Which instance sent each delivery (Linux /proc, once per connection); one instance needs no telling apart.
                receiver.SenderCandidates = instances == 1 ? [] : [.. servers.Select(s => s.Item2)];
                if (options.JitWarmup > TimeSpan.Zero)
                {
                    // Unrecorded: tiered JIT settles in every Server (a new one included) and here — at the concurrency
                    // measured and for the whole time, with no cap on messages. Capped (it was 8 callers and half the
                    // phase's messages), the first measured hub phase still ran tier-0 code: 4.2 ms of Server CPU per
                    // delivery against 1.2–1.5 ms in the same process's later rounds.
                    var warmCallers = callers.Max();
                    await LoadRunner.WarmUpAsync([load.Baseline], warmCallers, options.JitWarmup / 2, cancellationToken);
                    await load.MeasureAsync(servers, receiver, azuritePid, warmCallers, TimeSpan.Zero, options.JitWarmup / 2, int.MaxValue, options.Drain, cancellationToken);
                    Console.WriteLine(Invariant($"JIT warm-up with {instances} instance(s): {options.JitWarmup.TotalSeconds:F0} s; {clock.Elapsed.TotalSeconds:F1} s."));
                }

                foreach (var count in callers)
                {
                    var before = await runner.MeasureAsync(load.Baseline, count, options.Warmup, options.Duration, cancellationToken);
                    PrintBaseline(instances, count, "before", before);
                    var hub = await load.MeasureAsync(servers, receiver, azuritePid, count, options.Warmup, options.Duration, options.Messages, options.Drain, cancellationToken);
                    hubs.Add(hub);
                    var closed = await runner.MeasureAsync(load.HubClosedLoop(servers, receiver), count, options.Warmup, options.Duration, cancellationToken);
                    closedLoops.Add((instances, closed));
                    Console.WriteLine(Invariant(
                        $"  {instances} inst {count,2} callers  hub-closed-loop {closed.OpsPerSecond,8:F0} deliveries/s  p50 {closed.P50Ms,7:F1} ms  p99 {closed.P99Ms,7:F1} ms  errors {closed.Errors}{(closed.FirstError is null ? "" : " (" + closed.FirstError + ")")}"));
                    Console.WriteLine(Invariant(
                        $"  {instances} inst {count,2} callers  hub-accept {hub.AcceptedPerSecond,8:F0} msg/s  hub-delivery {hub.DeliveredPerSecond,8:F0} deliveries/s  p50 {OutboundLoad.Percentile(hub.DeliveryLatenciesMs, 0.5),7:F1} ms  p99 {OutboundLoad.Percentile(hub.DeliveryLatenciesMs, 0.99),7:F1} ms  backlog {hub.BacklogAtAcceptEnd}  duplicates {hub.Duplicates}  errors {hub.AcceptErrors + hub.Missing}{(hub.FirstError is null ? "" : " (" + hub.FirstError + ")")}"));
                    // The baseline again after the hub's phases: Azurite drifts over a run (its tables grow, and it saves
                    // them whole every 5 s), so the hub's phases are compared with the pool of the runs around them.
                    var after = await runner.MeasureAsync(load.Baseline, count, options.Warmup, options.Duration, cancellationToken);
                    PrintBaseline(instances, count, "after", after);
                    baselines.Add((instances, new BaselineBracket(before, after)));
                }
            }
        }
        finally
        {
            if (second is not null)
            {
                await second.DisposeAsync();
            }
        }

        var report = Render(baselines, hubs, closedLoops, new RunContext(HubServerProcess.Version, Environment.ProcessorCount, loadBefore, ProcessTree.LoadAverage(), options));
        Console.WriteLine();
        Console.WriteLine(report);
        Console.WriteLine(Invariant($"Total run time {clock.Elapsed.TotalSeconds:F0} s."));
        if (options.ReportPath is { } reportPath)
        {
            await File.WriteAllTextAsync(reportPath, report, cancellationToken);
            Console.WriteLine($"Report written to {Path.GetFullPath(reportPath)}.");
        }

        if (baselines.Any(b => b.Result.Errors > 0) || hubs.Any(h => h.AcceptErrors > 0 || h.Missing > 0) || closedLoops.Any(c => c.Result.Errors > 0))
        {
            Console.WriteLine("Some operations failed; the first Server's recent warnings:\n" + first.RecentOutput);
            return 1;
        }

        return 0;
    }

    /// <summary>The suite's Markdown: every phase, then the ratios and verdicts.</summary>
    public static string Render(
        IReadOnlyList<(int Instances, BaselineBracket Result)> baselines, IReadOnlyList<OutboundMeasurement> hubs, IReadOnlyList<(int Instances, Measurement Result)> closedLoops,
        RunContext context)
    {
        var text = new StringBuilder();
        text.AppendLine(Invariant(
            $"Server {context.ServerVersion}; {context.Cores} cores; {context.Options.JitWarmup.TotalSeconds:F0} s JIT warm-up per instance count, then {context.Options.Warmup.TotalSeconds:F0} s warm-up + {context.Options.Duration.TotalSeconds:F0} s per phase; load average before {context.LoadBefore}, after {context.LoadAfter}."));
        text.AppendLine();
        text.AppendLine(Invariant(
            $"hub-accept: POST /v1/projects/{{p}}/messages of a {OutboundLoad.PayloadBytes}-byte payload to the instances in turn, for the duration or until {context.Options.Messages} messages; only 202 counts. hub-delivery: from the first accept to the last message's first 2xx at the receiver (Kestrel on loopback in the bench process), every accepted message; p50/p99 from sending the message to its arrival. baseline-delivery: Azure SDK on the same Azurite — SendMessage of a ticket carrying the same payload, ReceiveMessage, one UpsertEntity (merge) of the delivery row's state and attempt column, DeleteMessage."));
        text.AppendLine();
        text.AppendLine("| instances | callers | scenario | ops/s | p50 ms | p99 ms | ops | errors | CPU ms/op: Server(s) | Azurite | bench + receiver | other | machine busy |");
        text.AppendLine("|--:|--:|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
        // The three lists hold one entry per round, in the order measured: a round's baseline is the one at its index.
        foreach (var (hub, baseline) in hubs.Zip(baselines.Select(b => b.Result)))
        {
            text.AppendLine(BaselineRow(hub.Instances, "baseline-delivery (before)", baseline.Before));
            text.AppendLine(Invariant(
                $"| {hub.Instances} | {hub.Callers} | hub-accept | {hub.AcceptedPerSecond:F0} | {OutboundLoad.Percentile(hub.AcceptLatenciesMs, 0.5):F2} | {OutboundLoad.Percentile(hub.AcceptLatenciesMs, 0.99):F2} | {hub.Accepted} | {hub.AcceptErrors} | | | | | |"));
            text.AppendLine(Invariant(
                $"| {hub.Instances} | {hub.Callers} | hub-delivery | {hub.DeliveredPerSecond:F0} | {OutboundLoad.Percentile(hub.DeliveryLatenciesMs, 0.5):F2} | {OutboundLoad.Percentile(hub.DeliveryLatenciesMs, 0.99):F2} | {hub.Delivered} | {hub.Missing} | {string.Join(" + ", hub.ServerCpuMs.Select(c => c.ToString("F3", CultureInfo.InvariantCulture)))} | {hub.AzuriteCpuMs:F3} | {hub.BenchCpuMs:F3} | {hub.OtherCpuMs:F3} | {hub.MachineBusyShare:P0} |"));
            text.AppendLine(BaselineRow(hub.Instances, "baseline-delivery (after)", baseline.After));
        }

        text.AppendLine();
        text.AppendLine(Invariant(
            $"CPU ms/op of hub-delivery is per delivery over the whole phase (accepting included). The baseline runs before the hub's phases and again after them (the closed loop's between); hub/baseline divides by both runs pooled (operations ÷ seconds). Targets: hub deliveries/s >= {ThroughputTarget}x baseline ops/s; two instances >= {ScaleOutTarget}x one instance's deliveries/s where the machine is not the bottleneck (busy < {CpuBoundShare:P0})."));
        text.AppendLine();
        text.AppendLine(Invariant($"| instances | callers | deliveries/s hub/baseline | >= {ThroughputTarget}x | backlog when accepting stopped | duplicates | deliveries per instance |"));
        text.AppendLine("|--:|--:|--:|---|--:|--:|---|");
        foreach (var (hub, baseline) in hubs.Zip(baselines.Select(b => b.Result)))
        {
            var ratio = baseline.OpsPerSecond > 0 ? hub.DeliveredPerSecond / baseline.OpsPerSecond : double.NaN;
            text.AppendLine(Invariant(
                $"| {hub.Instances} | {hub.Callers} | {ratio:F2}x | {Verdict(ratio >= ThroughputTarget)} | {hub.BacklogAtAcceptEnd} of {hub.Accepted} | {hub.Duplicates} | {(hub.DeliveredBy.Count == 0 ? "-" : string.Join(" / ", hub.DeliveredBy))} |"));
        }

        foreach (var two in hubs.Where(h => h.Instances == 2))
        {
            if (hubs.FirstOrDefault(h => h.Instances == 1 && h.Callers == two.Callers) is not { } one || one.DeliveredPerSecond <= 0)
            {
                continue;
            }

            var scale = two.DeliveredPerSecond / one.DeliveredPerSecond;
            var cpuBound = two.MachineBusyShare >= CpuBoundShare;
            var azuriteCores = two.AzuriteCpuMs * two.DeliveredPerSecond / 1000;
            var storageBound = azuriteCores >= StorageBoundCores;
            var verdict = cpuBound ? "not judged, CPU-bound" : storageBound ? "not judged, Azurite-bound" : Verdict(scale >= ScaleOutTarget);
            text.AppendLine();
            text.AppendLine(Invariant(
                $"Scale-out at {two.Callers} callers: two instances {two.DeliveredPerSecond:F0} deliveries/s against one instance's {one.DeliveredPerSecond:F0}: {scale:F2}x (target >= {ScaleOutTarget}x: {verdict})."));
            var split = Invariant(
                $"CPU per delivery: Servers {string.Join(" + ", two.ServerCpuMs.Select(c => c.ToString("F3", CultureInfo.InvariantCulture)))} ms, Azurite {two.AzuriteCpuMs:F3} ms, bench and receiver {two.BenchCpuMs:F3} ms, other {two.OtherCpuMs:F3} ms.");
            if (cpuBound)
            {
                text.AppendLine(Invariant(
                    $"The machine's {context.Cores} cores were {two.MachineBusyShare:P0} busy during the two-instance phase (one instance: {one.MachineBusyShare:P0}): the cores, not the hub, were the bottleneck. {split}"));
            }
            else if (storageBound)
            {
                text.AppendLine(Invariant(
                    $"Azurite used {azuriteCores:F2} cores during the two-instance phase: its JavaScript runs on one thread, so the storage emulator, not the hub, was the bottleneck (Azure Storage spreads partitions over servers). {split}"));
            }
        }

        if (closedLoops.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("Closed loop — each caller sends a message and waits for its arrival at the receiver before the next (hub-closed-loop), as each baseline caller enqueues, dequeues, writes and deletes its own ticket before the next: at most as many messages in the queue as callers in both. p50/p99 from send to arrival; CPU of the first Server only.");
            text.AppendLine();
            text.AppendLine(Invariant($"| instances | callers | hub-closed-loop deliveries/s | p50 ms | p99 ms | errors | CPU ms/op: Server | Azurite | bench + receiver | baseline ops/s (pooled) | hub/baseline | >= {ThroughputTarget}x |"));
            text.AppendLine("|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|");
            foreach (var ((instances, closed), baseline) in closedLoops.Zip(baselines.Select(b => b.Result)))
            {
                var ratio = baseline.OpsPerSecond > 0 ? closed.OpsPerSecond / baseline.OpsPerSecond : double.NaN;
                text.AppendLine(Invariant(
                    $"| {instances} | {closed.Callers} | {closed.OpsPerSecond:F0} | {closed.P50Ms:F2} | {closed.P99Ms:F2} | {closed.Errors} | {closed.Cpu.ServerMs:F3} | {closed.Cpu.AzuriteMs:F3} | {closed.Cpu.BenchMs:F3} | {baseline.OpsPerSecond:F0} | {ratio:F2}x | {Verdict(ratio >= ThroughputTarget)} |"));
            }
        }

        if (hubs.Any(h => h.BacklogAtAcceptEnd * 10 < h.Accepted))
        {
            text.AppendLine();
            text.AppendLine("Where the backlog when accepting stopped is under a tenth of the accepted messages, deliveries kept up with accepting: deliveries/s is then the accept rate, a lower bound of what delivery could do.");
        }

        if (hubs.Any(h => h.AcceptErrors > 0 || h.Missing > 0) || baselines.Any(b => b.Result.Errors > 0))
        {
            text.AppendLine();
            text.AppendLine("Failed operations (the run is not valid as a measurement): "
                + string.Join("; ", hubs.Where(h => h.FirstError is not null).Select(h => Invariant($"{h.Instances} instance(s) at {h.Callers} callers: {h.FirstError}"))
                    .Concat(baselines.Where(b => b.Result.Errors > 0).Select(b => Invariant($"baseline at {b.Result.Before.Callers} callers: {b.Result.Before.FirstError ?? b.Result.After.FirstError}")))) + ".");
        }

        return text.ToString();
    }

    private static string Verdict(bool met) => met ? "PASS" : "MISS";

    private static void PrintBaseline(int instances, int callers, string when, Measurement m) => Console.WriteLine(Invariant(
        $"  {instances} inst {callers,2} callers  baseline-delivery ({when}) {m.OpsPerSecond,8:F0} ops/s  p50 {m.P50Ms,7:F2} ms  p99 {m.P99Ms,7:F2} ms  errors {m.Errors}{(m.FirstError is null ? "" : " (" + m.FirstError + ")")}"));

    private static string BaselineRow(int instances, string scenario, Measurement m) => Invariant(
        $"| {instances} | {m.Callers} | {scenario} | {m.OpsPerSecond:F0} | {m.P50Ms:F2} | {m.P99Ms:F2} | {m.Operations} | {m.Errors} | {m.Cpu.ServerMs:F3} | {m.Cpu.AzuriteMs:F3} | {m.Cpu.BenchMs:F3} | {m.Cpu.OtherMs:F3} | |");

    /// <summary>A round's baseline, measured before the hub's phases and again after them.</summary>
    internal sealed record BaselineBracket(Measurement Before, Measurement After)
    {
        /// <summary>Both runs pooled: their operations over their seconds.</summary>
        public double OpsPerSecond => (Before.Operations + After.Operations) / (Before.Seconds + After.Seconds);

        public long Errors => Before.Errors + After.Errors;
    }

    private static string Invariant(FormattableString value) => value.ToString(CultureInfo.InvariantCulture);
}
