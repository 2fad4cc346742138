using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using System.Text.RegularExpressions;
using Integrations.Testing;

namespace Integrations.Bench.Load;

/// <summary>
/// The real Server (the built Integrations.Server.dll) in a child process on Kestrel at http://127.0.0.1:0,
/// configured as run.sh does (Storage, KeyWrapping__RootKey, Hub__AdminKey) with console logging at Warning and
/// the rate limits lifted.
/// On Linux it runs under coreutils' <c>timeout</c>, so it stops by itself even if this process dies.
/// </summary>
internal sealed partial class HubServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output;

    private HubServerProcess(Process process, ConcurrentQueue<string> output, Uri baseAddress, string adminKey)
    {
        _process = process;
        _output = output;
        BaseAddress = baseAddress;
        AdminKey = adminKey;
    }

    public Uri BaseAddress { get; }

    public string AdminKey { get; }

    /// <summary>The local root key it runs with (to start another instance over the same storage).</summary>
    public string RootKey { get; private init; } = "";

    /// <summary>The Server process (for CPU accounting); under <c>timeout</c> it is that process's only child.</summary>
    public int ServerProcessId => ProcessTree.Children(_process.Id, "dotnet").FirstOrDefault(_process.Id);

    /// <summary>The built Server's informational version: 1.0.0+&lt;commit it was built from&gt;.</summary>
    public static string Version => FileVersionInfo.GetVersionInfo(ServerDll).ProductVersion ?? "unknown";

    private static string ServerOutput => typeof(HubServerProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "ServerOutputPath").Value!;

    private static string ServerDll => Path.Combine(ServerOutput, "Integrations.Server.dll");

    public static async Task<HubServerProcess> StartAsync(
        string storageConnectionString, string storagePrefix, TimeSpan maxLifetime, IReadOnlyDictionary<string, string> extraEnvironment, CancellationToken cancellationToken,
        string? rootKey = null, string? adminKey = null)
    {
        var serverOutput = ServerOutput;
        var serverDll = ServerDll;
        if (!File.Exists(serverDll))
        {
            throw new InvalidOperationException($"The Server is not built at {serverDll}: build this project (it builds the Server) in the same configuration.");
        }

        // The hub's production intervals: this measures the Server as deployed, not as tests speed it up.
        // A second instance over the same storage passes the first one's root and admin keys.
        var settings = new HubTestSettings(storageConnectionString)
        {
            Prefix = storagePrefix, FastIntervals = false, RootKey = rootKey ?? HubTestSettings.NewRootKey(), AdminKey = adminKey ?? HubTestSettings.NewAdminKey(),
        };
        var dotnet = Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath! : "dotnet";
        var timeout = OperatingSystem.IsLinux() && File.Exists("/usr/bin/timeout") ? "/usr/bin/timeout" : null;
        var start = new ProcessStartInfo(timeout ?? dotnet)
        {
            WorkingDirectory = serverOutput,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (timeout is not null)
        {
            foreach (var argument in new[] { "--kill-after=10", $"{(int)maxLifetime.TotalSeconds}", dotnet })
            {
                start.ArgumentList.Add(argument);
            }
        }

        foreach (var argument in new[] { serverDll, "--urls", "http://127.0.0.1:0", "--contentRoot", serverOutput })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in settings.Build())
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        // Console logging at Warning, so logging does not dominate; the lifetime line gives the port Kestrel picked.
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";
        // The Server limits calls per API key (600/min by default) and failed authentications per address: the
        // benchmark's one key makes thousands a second, so both limits are lifted. Servers without limits ignore these.
        start.Environment["RateLimits__PerCredentialPerMinute"] = "100000000";
        start.Environment["RateLimits__FailedAuthenticationsPerMinute"] = "100000000";
        foreach (var (name, value) in extraEnvironment)
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet could not be started.");
        var output = new ConcurrentQueue<string>();
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) => Collect(e.Data);
        process.ErrorDataReceived += (_, e) => Collect(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var startTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        startTimeout.CancelAfter(TimeSpan.FromSeconds(60));
        try
        {
            var exited = process.WaitForExitAsync(startTimeout.Token);
            var first = await Task.WhenAny(listening.Task, exited).ConfigureAwait(false);
            if (first != listening.Task)
            {
                await exited.ConfigureAwait(false);
                throw new InvalidOperationException("The Server exited during start:\n" + string.Join('\n', output));
            }

            return new HubServerProcess(process, output, await listening.Task.ConfigureAwait(false), settings.AdminKey) { RootKey = settings.RootKey };
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }

        void Collect(string? line)
        {
            if (line is null)
            {
                return;
            }

            // Keep the last lines only: enough to explain a failure.
            output.Enqueue(line);
            while (output.Count > 200 && output.TryDequeue(out _))
            {
            }

            if (ListeningLine().Match(line) is { Success: true } match)
            {
                listening.TrySetResult(new Uri(match.Groups[1].Value + "/"));
            }
        }
    }

    /// <summary>Waits until <c>/readyz</c> answers 200 (storage and keys reachable).</summary>
    public async Task WaitUntilReadyAsync(HttpClient http, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 300; attempt++)
        {
            try
            {
                using var response = await http.GetAsync(new Uri(BaseAddress, "readyz"), cancellationToken).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not accepting yet.
            }

            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }

        throw new InvalidOperationException("The Server did not become ready in 30 s:\n" + string.Join('\n', _output));
    }

    /// <summary>The Server's recent console output (Warning and above), to explain failures.</summary>
    public string RecentOutput => string.Join('\n', _output);

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await _process.WaitForExitAsync(wait.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or OperationCanceledException)
        {
            // Already gone, or still stopping: timeout's own limit ends it.
        }

        _process.Dispose();
    }

    [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningLine();
}
