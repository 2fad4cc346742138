using System.Globalization;
using System.Text;

namespace Integrations.Bench.Load;

/// <summary>What the run measured against: shown above the tables, so a pasted table says where it came from.</summary>
internal sealed record RunContext(string ServerVersion, int Cores, string LoadBefore, string LoadAfter, LoadOptions Options);

/// <summary>
/// The Markdown the bench prints (and writes with <c>--out</c>): every measurement, then hub/baseline ratios with a
/// PASS/MISS verdict per target of issue 6, item 8 at <see cref="TargetCallers"/> callers (issue 9's webhook ingress at
/// <see cref="WebhookTargetCallers"/>).
/// </summary>
internal static class Report
{
    /// <summary>The concurrency the targets are judged at.</summary>
    public const int TargetCallers = 32;

    /// <summary>Issue 9 judges webhook ingress at 64 connections (same ratio targets).</summary>
    public const int WebhookTargetCallers = 64;

    /// <summary>At the target concurrency the hub must reach this share of its baseline's throughput.</summary>
    public const double ThroughputTarget = 0.8;

    /// <summary>At the target concurrency the hub's p99 may be at most this multiple of its baseline's.</summary>
    public const double P99Target = 2.0;

    /// <summary>At 32 callers the Server's CPU per metadata request may be at most this multiple of the bench's CPU per baseline operation.</summary>
    public const double CpuTarget = 2.0;

    /// <summary>Issue 8: a proxied call may add at most this much to the direct call's p50 …</summary>
    public const double ProxyAddedP50TargetMs = 2.0;

    /// <summary>… at this many callers.</summary>
    public const int ProxyTargetCallers = 8;

    public static string Render(IReadOnlyList<Measurement> measurements, RunContext context)
    {
        var text = new StringBuilder();
        text.AppendLine(Invariant(
            $"Server {context.ServerVersion}; {context.Cores} cores; {context.Options.JitWarmup.TotalSeconds:F0} s JIT warm-up, then {context.Options.Warmup.TotalSeconds:F0} s warm-up + {context.Options.Duration.TotalSeconds:F0} s per scenario;{(context.Options.Secrets > 0 ? $" {context.Options.Secrets} secrets;" : "")} load average before {context.LoadBefore}, after {context.LoadAfter}."));
        if (measurements.Any(m => m.Scenario.EndsWith("-webhook", StringComparison.Ordinal)))
        {
            text.AppendLine();
            text.AppendLine(Invariant(
                $"hub-webhook: POST /v1/webhooks/{{source}} of a {WebhookLoad.BodyBytes}-byte Stripe-style event (a new evt_ id each time), Stripe-Signature t=,v1= with the source's secret; only 200 with \"duplicate\":false counts. baseline-webhook: Azure SDK on the same Azurite — one idempotency AddEntity, one event AddEntity with the {WebhookLoad.BodyBytes}-byte body as a binary property, one SendMessage of a small JSON."));
        }

        text.AppendLine();
        text.AppendLine("| callers | scenario | ops/s | p50 ms | p99 ms | ops | errors | CPU ms/op: Server | Azurite | bench | other |");
        text.AppendLine("|--:|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
        foreach (var m in measurements)
        {
            text.AppendLine(Invariant(
                $"| {m.Callers} | {m.Scenario} | {m.OpsPerSecond:F0} | {m.P50Ms:F2} | {m.P99Ms:F2} | {m.Operations} | {m.Errors} | {m.Cpu.ServerMs:F3} | {m.Cpu.AzuriteMs:F3} | {m.Cpu.BenchMs:F3} | {m.Cpu.OtherMs:F3} |"));
        }

        text.AppendLine();
        text.AppendLine(Invariant(
            $"Targets at {TargetCallers} callers (webhook: at {WebhookTargetCallers}): hub throughput >= {ThroughputTarget}x baseline; hub p99 <= {P99Target}x baseline p99; Server CPU per hub metadata request <= {CpuTarget}x the bench's CPU per baseline-metadata operation."));
        text.AppendLine();
        text.AppendLine(Invariant(
            $"| callers | operation | throughput hub/baseline | p99 hub/baseline | Server CPU per hub op / bench CPU per baseline op | throughput >= {ThroughputTarget}x | p99 <= {P99Target}x | Server CPU <= {CpuTarget}x |"));
        text.AppendLine("|--:|---|--:|--:|--:|---|---|---|");
        var verdicts = new List<(int Callers, string Text)>();
        foreach (var callers in measurements.Select(m => m.Callers).Distinct())
        {
            foreach (var operation in new[] { "metadata", "reveal", "token", "webhook" })
            {
                var hub = measurements.SingleOrDefault(m => m.Callers == callers && m.Scenario == "hub-" + operation);
                var baseline = measurements.SingleOrDefault(m => m.Callers == callers && m.Scenario == "baseline-" + operation);
                if (hub is null || baseline is null)
                {
                    continue;
                }

                if (hub.Operations == 0 || baseline.Operations == 0)
                {
                    // Every operation failed: there is nothing to compare, and no verdict is honest.
                    text.AppendLine(Invariant($"| {callers} | {operation} | n/a | n/a | n/a | no data | no data | no data |"));
                    continue;
                }

                var throughput = hub.OpsPerSecond / baseline.OpsPerSecond;
                var p99 = hub.P99Ms / baseline.P99Ms;
                // No CPU readings (not Linux): no ratio rather than a division by zero.
                double? cpu = baseline.Cpu.BenchMs > 0 ? hub.Cpu.ServerMs / baseline.Cpu.BenchMs : null;
                var judged = callers == TargetCallersOf(operation);
                var throughputVerdict = judged ? Verdict(throughput >= ThroughputTarget) : "-";
                var p99Verdict = judged ? Verdict(p99 <= P99Target) : "-";
                // The CPU target is set for metadata reads; a reveal's Server also decrypts, which its baseline does not.
                var cpuVerdict = !judged ? "-" : operation != "metadata" ? "(not a target)" : cpu is { } c ? Verdict(c <= CpuTarget) : "n/a";
                var cpuText = cpu is { } value ? Invariant($"{value:F2}x") : "n/a";
                text.AppendLine(Invariant($"| {callers} | {operation} | {throughput:F2}x | {p99:F2}x | {cpuText} | {throughputVerdict} | {p99Verdict} | {cpuVerdict} |"));
                if (judged)
                {
                    verdicts.Add((callers, Invariant($"{operation}: throughput {throughputVerdict} ({throughput:F2}x), p99 {p99Verdict} ({p99:F2}x)")
                        + (operation == "metadata" ? $", Server CPU {cpuVerdict} ({cpuText})" : "")));
                }
            }
        }

        // The proxy's target is an added latency, not a ratio: p50 through the hub minus p50 of the same call made directly.
        foreach (var callers in measurements.Select(m => m.Callers).Distinct())
        {
            var hub = measurements.SingleOrDefault(m => m.Callers == callers && m.Scenario == "hub-proxy");
            var baseline = measurements.SingleOrDefault(m => m.Callers == callers && m.Scenario == "baseline-proxy");
            if (hub is null || baseline is null || hub.Operations == 0 || baseline.Operations == 0)
            {
                continue;
            }

            var added = hub.P50Ms - baseline.P50Ms;
            var verdict = callers == ProxyTargetCallers ? Verdict(added <= ProxyAddedP50TargetMs) : "-";
            text.AppendLine();
            text.AppendLine(Invariant(
                $"Proxy at {callers} callers: p50 {hub.P50Ms:F2} ms through the hub vs {baseline.P50Ms:F2} ms direct, added p50 {added:F2} ms (target <= {ProxyAddedP50TargetMs} ms at {ProxyTargetCallers} callers: {verdict}); p99 {hub.P99Ms:F2} vs {baseline.P99Ms:F2} ms; Server CPU {hub.Cpu.ServerMs:F3} ms per proxied call."));
        }

        foreach (var judged in verdicts.GroupBy(v => v.Callers))
        {
            text.AppendLine();
            text.AppendLine(Invariant($"At {judged.Key} callers — {string.Join("; ", judged.Select(v => v.Text))}."));
        }

        // "other" is everything else on the machine: when it outweighs the three measured processes, the machine was
        // busy with someone else's work and the verdicts above say more about that than about the hub.
        var noisy = measurements.Count(m => m.Cpu.OtherMs > m.Cpu.ServerMs + m.Cpu.AzuriteMs + m.Cpu.BenchMs);
        if (noisy > 0)
        {
            text.AppendLine();
            text.AppendLine(Invariant(
                $"Noisy run: in {noisy} of {measurements.Count} measurements other processes used more CPU than the Server, Azurite and the bench together; re-run on an idle machine before quoting a verdict."));
        }

        // A baseline never calls the Server, so Server CPU during one is background work (the audit seal job runs every
        // 5 minutes by default and seals everything the run wrote): the same work can land inside a hub measurement.
        if (measurements.Where(m => m.Scenario.StartsWith("baseline-", StringComparison.Ordinal) && m.Cpu.ServerMs * m.OpsPerSecond > 50).ToList() is { Count: > 0 } busy)
        {
            text.AppendLine();
            text.AppendLine("The Server was busy in the background during "
                + string.Join(", ", busy.Select(m => Invariant($"{m.Scenario} at {m.Callers} callers ({m.Cpu.ServerMs * m.OpsPerSecond / 10:F0}% of a core)")))
                + ": probably a scheduled job (audit seal); hub measurements near it carry that CPU too.");
        }

        if (measurements.Where(m => m.Errors > 0).ToList() is { Count: > 0 } failed)
        {
            text.AppendLine();
            text.AppendLine("Failed operations (the run is not valid as a measurement): "
                + string.Join("; ", failed.Select(m => Invariant($"{m.Scenario} at {m.Callers} callers: {m.Errors} ({m.FirstError})"))) + ".");
        }

        return text.ToString();
    }

    private static int TargetCallersOf(string operation) => operation == "webhook" ? WebhookTargetCallers : TargetCallers;

    private static string Verdict(bool met) => met ? "PASS" : "MISS";

    private static string Invariant(FormattableString value) => value.ToString(CultureInfo.InvariantCulture);
}
