using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Integrations.Testing;

namespace Integrations.Api.Tests.Connections;

/// <summary>
/// The built Server (src/Integrations.Server/bin/&lt;configuration&gt;/…/Integrations.Server.dll) as a separate OS process
/// on http://127.0.0.1 (a free port Kestrel picks), configured through environment variables. Its console output is
/// kept (to search it for credentials). It cannot outlive the test run: a shell guard stops it as soon as this
/// process is gone, however it went (as tests/azurite-guard.js does for Azurite), and coreutils' <c>timeout</c> ends it
/// after 10 minutes in any case.
/// </summary>
internal sealed partial class ServerProcess : IAsyncDisposable
{
    // $1 = parent pid, $2 = lifetime (s); the rest is the command. The child is killed when the parent is gone.
    private const string Guard =
        "parent=$1; life=$2; shift 2; timeout -k 5 \"$life\" \"$@\" & child=$!; " +
        "while kill -0 \"$parent\" 2>/dev/null && kill -0 \"$child\" 2>/dev/null; do sleep 1; done; kill \"$child\" 2>/dev/null; wait \"$child\"";

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output;

    private ServerProcess(Process process, ConcurrentQueue<string> output, Uri baseAddress)
    {
        _process = process;
        _output = output;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>Everything the Server wrote to its console.</summary>
    public string Output => string.Join('\n', _output);

    public static string ServerDirectory
    {
        get
        {
            // This test assembly's configuration and target framework: bin/<configuration>/<tfm>/.
            var tfm = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Name;
            var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
            return Path.Combine(RepositoryRoot.Find(), "src", "Integrations.Server", "bin", configuration, tfm);
        }
    }

    public static async Task<ServerProcess> StartAsync(IReadOnlyDictionary<string, string?> settings, string environment, CancellationToken cancellationToken = default)
    {
        var directory = ServerDirectory;
        var dll = Path.Combine(directory, "Integrations.Server.dll");
        Assert.True(File.Exists(dll), $"The Server is not built at {dll}.");
        var dotnet = Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath! : "dotnet";
        var start = new ProcessStartInfo("/bin/sh")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "-c", Guard, "server-guard", Environment.ProcessId.ToString(CultureInfo.InvariantCulture), "600", dotnet, dll,
                     "--urls", "http://127.0.0.1:0", "--contentRoot", directory })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = environment;
        start.Environment["DOTNET_ENVIRONMENT"] = environment;
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        start.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";
        start.Environment["Logging__Console__FormatterName"] = "simple";

        var process = Process.Start(start) ?? throw new InvalidOperationException("The Server could not be started.");
        var output = new ConcurrentQueue<string>();
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) => Collect(e.Data);
        process.ErrorDataReceived += (_, e) => Collect(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var startTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        startTimeout.CancelAfter(TimeSpan.FromSeconds(90));
        try
        {
            var exited = process.WaitForExitAsync(startTimeout.Token);
            if (await Task.WhenAny(listening.Task, exited) != listening.Task)
            {
                await exited;
                throw new InvalidOperationException("The Server exited during start:\n" + string.Join('\n', output));
            }

            return new ServerProcess(process, output, await listening.Task);
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

            output.Enqueue(line);
            if (ListeningLine().Match(line) is { Success: true } match)
            {
                listening.TrySetResult(new Uri(match.Groups[1].Value + "/"));
            }
        }
    }

    /// <summary>Waits until <c>/readyz</c> answers 200 (storage and keys reachable).</summary>
    public async Task WaitUntilReadyAsync(HttpClient http)
    {
        for (var attempt = 0; attempt < 600; attempt++)
        {
            try
            {
                using var response = await http.GetAsync(new Uri(BaseAddress, "readyz"));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not accepting yet.
            }

            await Task.Delay(100);
        }

        throw new InvalidOperationException("The Server did not become ready in 60 s:\n" + Output);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await _process.WaitForExitAsync(wait.Token);
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or OperationCanceledException)
        {
            // Already gone, or still stopping: the guard and timeout end it.
        }

        _process.Dispose();
    }

    [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningLine();
}
