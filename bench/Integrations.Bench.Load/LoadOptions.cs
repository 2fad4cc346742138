using System.Globalization;

namespace Integrations.Bench.Load;

/// <summary>
/// What to measure: <c>--callers 1,8,32 --warmup 2 --duration 10 --secrets 200 --max-minutes 10</c>, and
/// optionally <c>--scenarios hub-metadata,...</c> (to run one longer, e.g. while a profiler is attached; the webhook pair
/// <c>baseline-webhook,hub-webhook</c> alone defaults to 64 callers),
/// <c>--out report.md</c> (also write the Markdown report to a file) and <c>--server-env NAME=VALUE</c>
/// (repeatable: one more environment variable for the Server, e.g. to compare a logging setting).
/// <c>--jit-warmup 30</c> runs all selected scenarios, unrecorded, before the first measurement, until tiered JIT
/// compilation has settled in the Server and here. The defaults take about three and a half minutes:
/// JIT warm-up + 3 concurrencies × 4 scenarios × (warm-up + duration), plus start-up.
/// </summary>
internal sealed record LoadOptions(
    IReadOnlyList<int> Callers, TimeSpan Warmup, TimeSpan Duration, int Secrets, TimeSpan MaxRunTime, IReadOnlyList<string> Scenarios,
    string? ReportPath, IReadOnlyDictionary<string, string> ServerEnvironment, TimeSpan JitWarmup)
{
    /// <summary>
    /// <c>--suite secrets</c> (the default: the scenarios above), <c>token</c> (the token endpoint and the refresh storm,
    /// <see cref="TokenBench"/>) or <c>outbound</c> (messages accepted and deliveries completed per second, <see cref="OutboundBench"/>).
    /// </summary>
    public string Suite { get; init; } = "secrets";

    /// <summary><c>--storm-callers 200</c>: callers of the refresh storm (token suite), split across two Server processes.</summary>
    public int StormCallers { get; init; } = 200;

    /// <summary><c>--instances 1,2</c>: how many Server processes share the work in the outbound suite, measured in turn.</summary>
    public IReadOnlyList<int> Instances { get; init; } = [1, 2];

    /// <summary><c>--drain 300</c>: the outbound suite waits at most this long (s) after accepting for the last delivery.</summary>
    public TimeSpan Drain { get; init; } = TimeSpan.FromSeconds(300);

    /// <summary><c>--messages 1000</c>: the outbound suite accepts at most this many messages per phase (all must be delivered).</summary>
    public int Messages { get; init; } = 1000;

    /// <summary>Whether <c>--callers</c> was given (the outbound suite's default is 32).</summary>
    public bool CallersGiven { get; init; }

    private const string Usage =
        "Options: --suite secrets|token|outbound --storm-callers 200 --instances 1,2 --drain 300 --messages 1000 --callers 1,8,32 --jit-warmup 30 --warmup 2 --duration 10 --secrets 200 --max-minutes 10 --scenarios baseline-metadata,hub-metadata,baseline-reveal,hub-reveal,baseline-proxy,hub-proxy,baseline-webhook,hub-webhook --out report.md --server-env NAME=VALUE";

    /// <summary>Every scenario, in the order run: each hub scenario right after its baseline.</summary>
    public static IReadOnlyList<string> AllScenarios { get; } =
        ["baseline-metadata", "hub-metadata", "baseline-reveal", "hub-reveal", "baseline-proxy", "hub-proxy", "baseline-webhook", "hub-webhook"];

    /// <summary>The webhook pair alone runs at this concurrency unless <c>--callers</c> says otherwise (issue 9: 64 connections).</summary>
    public static IReadOnlyList<int> WebhookCallers { get; } = [64];

    /// <summary>What runs without <c>--scenarios</c>: the secret reads (the proxy and webhook pairs are asked for by name).</summary>
    public static IReadOnlyList<string> DefaultScenarios { get; } = ["baseline-metadata", "hub-metadata", "baseline-reveal", "hub-reveal"];

    public static LoadOptions Parse(string[] args)
    {
        var callersGiven = false;
        var options = new LoadOptions([1, 8, 32], TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(10), 200, TimeSpan.FromMinutes(10), DefaultScenarios,
            null, new Dictionary<string, string>(StringComparer.Ordinal), TimeSpan.FromSeconds(30));
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value.");
            options = args[i] switch
            {
                "--callers" => options with { Callers = value.Split(',').Select(v => Bounded(v, 1, 256, "--callers")).ToList() },
                "--jit-warmup" => options with { JitWarmup = TimeSpan.FromSeconds(Bounded(value, 0, 300, "--jit-warmup")) },
                "--warmup" => options with { Warmup = TimeSpan.FromSeconds(Bounded(value, 0, 60, "--warmup")) },
                "--duration" => options with { Duration = TimeSpan.FromSeconds(Bounded(value, 1, 120, "--duration")) },
                "--secrets" => options with { Secrets = Bounded(value, 1, 10_000, "--secrets") },
                "--max-minutes" => options with { MaxRunTime = TimeSpan.FromMinutes(Bounded(value, 1, 60, "--max-minutes")) },
                "--scenarios" => options with { Scenarios = Known(value.Split(',')) },
                "--out" => options with { ReportPath = value },
                "--suite" => options with { Suite = value is "secrets" or "token" or "outbound" or "identity" ? value : throw new ArgumentException("--suite takes secrets, token, outbound or identity.") },
                "--instances" => options with { Instances = value.Split(',').Select(v => Bounded(v, 1, 2, "--instances")).Distinct().Order().ToList() },
                "--drain" => options with { Drain = TimeSpan.FromSeconds(Bounded(value, 5, 600, "--drain")) },
                "--messages" => options with { Messages = Bounded(value, 10, 100_000, "--messages") },
                "--storm-callers" => options with { StormCallers = Bounded(value, 2, 1000, "--storm-callers") },
                "--server-env" => options with { ServerEnvironment = With(options.ServerEnvironment, value) },
                _ => throw new ArgumentException($"Unknown option {args[i]}. {Usage}"),
            };
            callersGiven |= args[i] == "--callers";
            i++;
        }

        options = options with { CallersGiven = callersGiven };

        // The webhook pair alone: at the issue's 64 connections, not at the secret reads' 1, 8, 32.
        return !callersGiven && options.Scenarios.All(s => s.EndsWith("-webhook", StringComparison.Ordinal))
            ? options with { Callers = WebhookCallers }
            : options;
    }

    private static Dictionary<string, string> With(IReadOnlyDictionary<string, string> environment, string assignment)
    {
        var equals = assignment.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
        {
            throw new ArgumentException("--server-env takes NAME=VALUE, e.g. Logging__LogLevel__Default=Error.");
        }

        return new Dictionary<string, string>(environment, StringComparer.Ordinal) { [assignment[..equals]] = assignment[(equals + 1)..] };
    }

    private static List<string> Known(string[] names) => names.All(AllScenarios.Contains)
        ? AllScenarios.Where(names.Contains).ToList()
        : throw new ArgumentException($"--scenarios takes a comma-separated list of {string.Join(", ", AllScenarios)}.");

    private static int Bounded(string value, int min, int max, string name) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? n
            : throw new ArgumentException($"{name} must be a whole number from {min} to {max}.");
}
