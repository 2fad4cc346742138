using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Integrations.Bench.Load;
using Integrations.Testing;

// Load benchmark: the hub's secret read and reveal (and, asked for by name, the proxy and webhook ingress) through real
// HTTP against the same storage work done with the Azure SDK alone, on one Azurite, at each concurrency. Prints Markdown
// tables. See bench/README.md.
var options = LoadOptions.Parse(args);
using var stop = new CancellationTokenSource(options.MaxRunTime);
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true; // Stop the loops and clean up (Azurite, the Server) instead of dying.
    stop.Cancel();
};

if (options.Suite == "token")
{
    return await TokenBench.RunAsync(options, stop.Token);
}

if (options.Suite == "outbound")
{
    return await OutboundBench.RunAsync(options, stop.Token);
}

if (options.Suite == "identity")
{
    return await IdentityBench.RunAsync(options, stop.Token);
}

const string Prefix = "bench";
var clock = Stopwatch.StartNew();
var loadBefore = ProcessTree.LoadAverage();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"Server {HubServerProcess.Version}. Callers {string.Join(',', options.Callers)}; {options.Warmup.TotalSeconds:F0} s warm-up + {options.Duration.TotalSeconds:F0} s per scenario; {options.Secrets} secrets; {Environment.ProcessorCount} cores; load average {loadBefore}."));
await using var azurite = await AzuriteInstance.StartAsync(stop.Token);
// The proxy pair needs a loopback upstream the Server may call: the outbound guard opened to 127.0.0.0/8, and
// Development, where connections may use an http base URL (the upstream is plain http on loopback).
var proxying = options.Scenarios.Any(s => s.EndsWith("-proxy", StringComparison.Ordinal));
await using var upstream = proxying ? await BenchUpstream.StartAsync(stop.Token) : null;
if (proxying)
{
    options = options with
    {
        ServerEnvironment = new Dictionary<string, string>(options.ServerEnvironment, StringComparer.Ordinal)
        {
            ["OutboundHttp__AllowedNetworks__0"] = "127.0.0.0/8",
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
        },
    };
}

var azuritePid = ProcessTree.Children(Environment.ProcessId, "node").FirstOrDefault();
await using var server = await HubServerProcess.StartAsync(azurite.ConnectionString, Prefix, options.MaxRunTime + TimeSpan.FromMinutes(1), options.ServerEnvironment, stop.Token);
using var http = new HttpClient(new SocketsHttpHandler
{
    MaxConnectionsPerServer = 1024,
    UseCookies = false,
    PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
})
{
    Timeout = TimeSpan.FromSeconds(30),
};
await server.WaitUntilReadyAsync(http, stop.Token);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Server on {server.BaseAddress} (pid {server.ServerProcessId}), Azurite pid {azuritePid}; ready after {clock.Elapsed.TotalSeconds:F1} s."));

// Seed through the API, as a user would: an organization (its owner key has every scope), a project, N secrets of 256 bytes.
var api = new HubApi(http, server.BaseAddress);
var (organizationId, apiKey) = await api.CreateOrganizationAsync(server.AdminKey, stop.Token);
var projectId = await api.CreateProjectAsync(apiKey, stop.Token);
// The secrets only when a secret read is measured (the proxy and webhook pairs do not read them).
var seeded = options.Scenarios.Any(s => s.EndsWith("-metadata", StringComparison.Ordinal) || s.EndsWith("-reveal", StringComparison.Ordinal)) ? options.Secrets : 0;
await Parallel.ForEachAsync(Enumerable.Range(0, seeded), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = stop.Token },
    async (i, ct) => await api.CreateSecretAsync(apiKey, projectId, Scenarios.SecretName(i), RandomValue(256), ct));
options = options with { Secrets = seeded };
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Seeded {seeded} secrets in org {organizationId}, project {projectId}; {clock.Elapsed.TotalSeconds:F1} s."));

var tables = new TableServiceClient(azurite.ConnectionString);
var scenarios = new Scenarios(http, server.BaseAddress, apiKey, tables, Prefix, organizationId, projectId, options.Secrets);
await scenarios.CreateScratchTableAsync(stop.Token);
if (upstream is not null)
{
    scenarios.Proxy = (upstream.BaseAddress, await api.CreateProxyConnectionAsync(apiKey, projectId, new Uri(upstream.BaseAddress, "api"), stop.Token));
}

if (options.Scenarios.Any(s => s.EndsWith("-webhook", StringComparison.Ordinal)))
{
    // A stripe source with a secret of the bench's; the baseline's tables and queue on the same Azurite.
    var secret = WebhookLoad.NewSecret();
    var sourceId = await api.CreateWebhookSourceAsync(apiKey, projectId, secret, stop.Token);
    var queues = new QueueServiceClient(azurite.ConnectionString, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
    scenarios.Webhook = new WebhookLoad(http, server.BaseAddress, sourceId, secret, tables, queues, Prefix, organizationId, projectId);
    await scenarios.Webhook.CreateBaselineStorageAsync(stop.Token);
    Console.WriteLine($"Webhook source {sourceId} (stripe) created.");
}

var runner = new LoadRunner(server.ServerProcessId, azuritePid);
var selected = options.Scenarios.Select(scenarios.Named).ToList();
if (options.JitWarmup > TimeSpan.Zero)
{
    var jitBefore = System.Runtime.JitInfo.GetCompiledMethodCount();
    await LoadRunner.WarmUpAsync(selected, 8, options.JitWarmup, stop.Token);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"JIT warm-up: {options.JitWarmup.TotalSeconds:F0} s of every scenario at 8 callers (this process compiled {System.Runtime.JitInfo.GetCompiledMethodCount() - jitBefore} methods meanwhile); {clock.Elapsed.TotalSeconds:F1} s."));
}

var jitAtStart = System.Runtime.JitInfo.GetCompilationTime();
var results = new List<Measurement>();
foreach (var callers in options.Callers)
{
    // Each hub scenario right after its baseline, so drift on this shared machine touches both alike.
    foreach (var scenario in selected)
    {
        var m = await runner.MeasureAsync(scenario, callers, options.Warmup, options.Duration, stop.Token);
        results.Add(m);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {callers,2} callers  {m.Scenario,-18} {m.OpsPerSecond,8:F0} ops/s  p50 {m.P50Ms,7:F2} ms  p99 {m.P99Ms,7:F2} ms  CPU ms/op Server {m.Cpu.ServerMs:F3} Azurite {m.Cpu.AzuriteMs:F3} bench {m.Cpu.BenchMs:F3}  errors {m.Errors}{(m.FirstError is null ? "" : " (" + m.FirstError + ")")}"));
    }
}

var report = Report.Render(results, new RunContext(HubServerProcess.Version, Environment.ProcessorCount, loadBefore, ProcessTree.LoadAverage(), options));
Console.WriteLine();
Console.WriteLine(report);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"Total run time {clock.Elapsed.TotalSeconds:F0} s. CPU ms/op is CPU time per operation over all {Environment.ProcessorCount} cores; 'other' is the rest of the machine (noise). This process spent {(System.Runtime.JitInfo.GetCompilationTime() - jitAtStart).TotalMilliseconds:F0} ms compiling during the measurements (warm-ups included)."));
if (options.ReportPath is { } reportPath)
{
    await File.WriteAllTextAsync(reportPath, report, stop.Token);
    Console.WriteLine($"Report written to {Path.GetFullPath(reportPath)}.");
}
if (results.Any(r => r.Errors > 0))
{
    Console.WriteLine("Some operations failed; the Server's recent warnings:\n" + server.RecentOutput);
    return 1;
}

return 0;

static string RandomValue(int length) => RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", length);
