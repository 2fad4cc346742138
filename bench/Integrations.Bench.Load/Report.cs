using System.Globalization;
using System.Text;

namespace Integrations.Bench.Load;

/// <summary>The Markdown tables: every measurement, then hub/baseline ratios against the targets.</summary>
internal static class Report
{
    /// <summary>At 32 callers the hub must reach this share of its baseline's throughput.</summary>
    public const double ThroughputTarget = 0.8;

    /// <summary>At every concurrency the hub's p99 may be at most this multiple of its baseline's.</summary>
    public const double P99Target = 2.0;

    public static string Render(IReadOnlyList<Measurement> measurements)
    {
        var text = new StringBuilder();
        text.AppendLine("| callers | scenario | ops/s | p50 ms | p99 ms | ops | errors | CPU ms/op: server | azurite | bench | other |");
        text.AppendLine("|--:|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
        foreach (var m in measurements)
        {
            text.AppendLine(Invariant($"| {m.Callers} | {m.Scenario} | {m.OpsPerSecond:F0} | {m.P50Ms:F2} | {m.P99Ms:F2} | {m.Operations} | {m.Errors} | {m.Cpu.ServerMs:F3} | {m.Cpu.AzuriteMs:F3} | {m.Cpu.BenchMs:F3} | {m.Cpu.OtherMs:F3} |"));
        }

        text.AppendLine();
        text.AppendLine(Invariant($"Targets: hub throughput >= {ThroughputTarget}x baseline at 32 callers; hub p99 <= {P99Target}x baseline p99."));
        text.AppendLine();
        text.AppendLine("| callers | operation | throughput hub/baseline | p99 hub/baseline | throughput target | p99 target |");
        text.AppendLine("|--:|---|--:|--:|---|---|");
        foreach (var callers in measurements.Select(m => m.Callers).Distinct())
        {
            foreach (var operation in new[] { "metadata", "reveal" })
            {
                var hub = measurements.SingleOrDefault(m => m.Callers == callers && m.Scenario == "hub " + operation);
                var baseline = measurements.SingleOrDefault(m => m.Callers == callers && m.Scenario == "baseline " + operation);
                if (hub is null || baseline is null)
                {
                    continue;
                }

                var throughput = hub.OpsPerSecond / baseline.OpsPerSecond;
                var p99 = hub.P99Ms / baseline.P99Ms;
                var throughputVerdict = callers == 32 ? (throughput >= ThroughputTarget ? "met" : "MISSED") : "-";
                text.AppendLine(Invariant($"| {callers} | {operation} | {throughput:F2}x | {p99:F2}x | {throughputVerdict} | {(p99 <= P99Target ? "met" : "MISSED")} |"));
            }
        }

        return text.ToString();
    }

    private static string Invariant(FormattableString value) => value.ToString(CultureInfo.InvariantCulture);
}
