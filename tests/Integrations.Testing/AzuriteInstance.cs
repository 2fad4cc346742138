using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Integrations.Testing;

/// <summary>
/// Azurite from the repository's node_modules (installed by `npm ci`), on 127.0.0.1 with ports the OS picks and
/// a data folder of its own, so parallel runs never collide. One instance serves a whole test process (tests
/// isolate themselves with their own storage prefix) and is stopped when the process exits.
/// </summary>
public sealed partial class AzuriteInstance : IAsyncDisposable
{
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private static readonly Lazy<Task<AzuriteInstance>> SharedInstance = new(() => StartAsync());
    private readonly Process _process;
    private readonly string _dataFolder;

    private AzuriteInstance(Process process, string dataFolder, int blobPort, int queuePort, int tablePort)
    {
        _process = process;
        _dataFolder = dataFolder;
        ConnectionString = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=" + AccountKey
            + $";BlobEndpoint=http://127.0.0.1:{blobPort}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{queuePort}/devstoreaccount1"
            + $";TableEndpoint=http://127.0.0.1:{tablePort}/devstoreaccount1;";
    }

    public string ConnectionString { get; }

    /// <summary>The instance shared by this test process.</summary>
    public static Task<AzuriteInstance> Shared => SharedInstance.Value;

    /// <summary>A storage prefix no other test uses (tables, queues and containers are all named from it).</summary>
    public static string NewPrefix() => "t" + TestRandom.Hex(5);

    public static async Task<AzuriteInstance> StartAsync(CancellationToken cancellationToken = default)
    {
        var root = RepositoryRoot.Find();
        var entry = Path.Combine(root, "node_modules", "azurite", "dist", "src", "azurite.js");
        if (!File.Exists(entry))
        {
            throw new InvalidOperationException($"Azurite is not installed at {entry}: run `npm ci` in {root} (the README's test command does).");
        }

        var dataFolder = Directory.CreateTempSubdirectory("azurite-").FullName;
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // Through the guard, which stops Azurite when this process goes, however it goes (tests/azurite-guard.js).
        foreach (var argument in new[]
        {
            Path.Combine(root, "tests", "azurite-guard.js"), Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), entry,
            "--location", dataFolder, "--blobHost", "127.0.0.1", "--blobPort", "0", "--queueHost", "127.0.0.1", "--queuePort", "0",
            "--tableHost", "127.0.0.1", "--tablePort", "0", "--disableTelemetry", "--skipApiVersionCheck", "--loose",
            // No access log: Azurite would write a line per request to its stdout (synchronously, on a pipe), which costs
            // the emulator CPU the benchmarks charge to whoever is measured, and this process would keep every line.
            "--silent",
        })
        {
            start.ArgumentList.Add(argument);
        }

        // Profiling aid (bench/profile.md): Azurite writes every request it serves to this file.
        if (Environment.GetEnvironmentVariable("AZURITE_DEBUG_LOG") is { Length: > 0 } debugLog)
        {
            start.ArgumentList.Add("--debug");
            start.ArgumentList.Add(debugLog);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("node could not be started.");
        var ports = new Dictionary<string, int>(StringComparer.Ordinal);
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            output.Enqueue(e.Data);
            var match = ListeningLine().Match(e.Data);
            if (match.Success)
            {
                lock (ports)
                {
                    ports[match.Groups[1].Value] = int.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
                    if (ports.Count == 3)
                    {
                        ready.TrySetResult();
                    }
                }
            }
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { output.Enqueue(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        try
        {
            // An Azurite that exits at once (a bad option, a busy port) fails the start now, not after the timeout.
            var exited = process.WaitForExitAsync(timeout.Token);
            if (await Task.WhenAny(ready.Task, exited).ConfigureAwait(false) != ready.Task)
            {
                await exited.ConfigureAwait(false);
                throw new InvalidOperationException($"Azurite exited with code {process.ExitCode} before listening:\n" + string.Join('\n', output));
            }
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException("Azurite did not start within 60 s:\n" + string.Join('\n', output));
        }

        var instance = new AzuriteInstance(process, dataFolder, ports["Blob"], ports["Queue"], ports["Table"]);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => instance.Stop();
        return instance;
    }

    public ValueTask DisposeAsync()
    {
        Stop();
        return ValueTask.CompletedTask;
    }

    private void Stop()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }

            Directory.Delete(_dataFolder, recursive: true);
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            // Already stopped or the folder is busy: the OS temp cleaner gets it.
        }
    }

    [GeneratedRegex(@"Azurite (Blob|Queue|Table) service is successfully listening at http://127\.0\.0\.1:(\d+)")]
    private static partial Regex ListeningLine();
}

/// <summary>Finds the repository root (the folder with package.json and the solution).</summary>
public static class RepositoryRoot
{
    public static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "package.json")) && File.Exists(Path.Combine(dir.FullName, "IntegrationsFunctions.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (package.json next to IntegrationsFunctions.sln) was not found above " + AppContext.BaseDirectory);
    }
}
