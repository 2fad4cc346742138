using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Integrations.Testing;

/// <summary>
/// The built Server (src/Integrations.Server/bin/&lt;configuration&gt;/&lt;tfm&gt;/Integrations.Server.dll) as a separate OS
/// process on http://127.0.0.1 (a free port Kestrel picks), configured through environment variables — for the tests
/// that need a real process (two instances on one storage, a hard kill) and for the load bench. It cannot outlive its
/// parent: on Linux a shell guard stops it as soon as this process is gone, however it went (as tests/azurite-guard.js
/// does for Azurite), and coreutils' <c>timeout</c> ends it after <see cref="ServerProcessOptions.Lifetime"/> in any case.
/// Settings go in as environment variables, except keys with a dot (<c>Logging:LogLevel:Microsoft.Hosting.Lifetime</c>),
/// which go on the command line: the guard's shell drops variables whose names are not shell identifiers.
/// </summary>
public sealed partial class ServerProcess : IAsyncDisposable
{
    // $1 = parent pid, $2 = lifetime (s); the rest is the command. The child is killed when the parent is gone, or when
    // the guard itself is told to stop (timeout runs the child in a process group of its own, out of reach of a signal
    // sent to the guard's group).
    private const string Guard =
        "parent=$1; life=$2; shift 2; timeout -k 5 \"$life\" \"$@\" & child=$!; trap 'kill \"$child\" 2>/dev/null; exit 143' TERM INT HUP; " +
        "while kill -0 \"$parent\" 2>/dev/null && kill -0 \"$child\" 2>/dev/null; do sleep 1; done; kill \"$child\" 2>/dev/null; wait \"$child\"";

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output;
    private int? _serverProcessId;

    private ServerProcess(Process process, ConcurrentQueue<string> output, Uri baseAddress)
    {
        _process = process;
        _output = output;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>What the Server wrote to its console (the last <see cref="ServerProcessOptions.MaxOutputLines"/> lines).</summary>
    public string Output => string.Join('\n', _output);

    /// <summary>
    /// The id of the dotnet process running the Server (for CPU accounting and to tell instances apart): under the
    /// guard it is a grandchild of the process started; elsewhere the started process itself.
    /// </summary>
    public int ServerProcessId => _serverProcessId ??= LinuxProcesses.Descendants(_process.Id).FirstOrDefault(p => LinuxProcesses.CommandOf(p) == "dotnet", _process.Id);

    /// <summary>Whether the Server has exited (or been killed).</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>The Server folder of this build: the caller's configuration and target framework (bin/&lt;configuration&gt;/&lt;tfm&gt;/).</summary>
    public static string DefaultServerDirectory
    {
        get
        {
            var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            return Path.Combine(RepositoryRoot.Find(), "src", "Integrations.Server", "bin", output.Parent!.Name, output.Name);
        }
    }

    /// <summary>Starts the Server with <paramref name="settings"/> (configuration keys, <c>Section:Key</c>) and waits until Kestrel listens.</summary>
    public static async Task<ServerProcess> StartAsync(
        IReadOnlyDictionary<string, string?> settings, string environment, ServerProcessOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        options ??= new ServerProcessOptions();
        var directory = options.ServerDirectory ?? DefaultServerDirectory;
        var dll = Path.Combine(directory, "Integrations.Server.dll");
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"The Server is not built at {dll}: build the Server (or a project that references it) in the same configuration.");
        }

        var dotnet = Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath! : "dotnet";
        var guarded = OperatingSystem.IsLinux() && File.Exists("/bin/sh");
        var start = new ProcessStartInfo(guarded ? "/bin/sh" : dotnet)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var lifetime = ((int)options.Lifetime.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        var arguments = guarded
            ? new[] { "-c", Guard, "server-guard", Environment.ProcessId.ToString(CultureInfo.InvariantCulture), lifetime, dotnet, dll }
            : new[] { dll };
        // The lifetime line gives the port Kestrel picked, whatever the level asked for.
        var dotted = settings.Where(s => s.Key.Contains('.', StringComparison.Ordinal))
            .Append(new("Logging:LogLevel:Microsoft.Hosting.Lifetime", "Information"))
            .Select(s => $"--{s.Key}={s.Value}");
        foreach (var argument in arguments.Concat(["--urls", "http://127.0.0.1:0", "--contentRoot", directory]).Concat(dotted))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = environment;
        start.Environment["DOTNET_ENVIRONMENT"] = environment;
        foreach (var (key, value) in settings.Where(s => !s.Key.Contains('.', StringComparison.Ordinal)))
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

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
            if (await Task.WhenAny(listening.Task, exited).ConfigureAwait(false) != listening.Task)
            {
                cancellationToken.ThrowIfCancellationRequested();
                throw new InvalidOperationException((exited.IsCanceled ? "The Server did not listen within 90 s:\n" : "The Server exited during start:\n") + string.Join('\n', output));
            }

            return new ServerProcess(process, output, await listening.Task.ConfigureAwait(false));
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
            while (output.Count > options.MaxOutputLines && output.TryDequeue(out _))
            {
            }

            if (ListeningLine().Match(line) is { Success: true } match)
            {
                listening.TrySetResult(new Uri(match.Groups[1].Value + "/"));
            }
        }
    }

    /// <summary>Waits until <c>/readyz</c> answers 200 (storage and keys reachable), for at most 60 s.</summary>
    public async Task WaitUntilReadyAsync(HttpClient http, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(http);
        for (var attempt = 0; attempt < 600; attempt++)
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

        throw new InvalidOperationException("The Server did not become ready in 60 s:\n" + Output);
    }

    /// <summary>
    /// Kills the Server hard — SIGKILL to the guard, <c>timeout</c> and the Server alike: no shutdown hook runs, no queue
    /// message is settled, nothing is flushed — and waits until it is gone.
    /// </summary>
    public async Task KillAsync()
    {
        _ = ServerProcessId; // Known before the tree goes, for whoever still needs it.
        _process.Kill(entireProcessTree: true);
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _process.WaitForExitAsync(wait.Token).ConfigureAwait(false);
    }

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
            // Already gone, or still stopping: the guard and timeout end it.
        }

        _process.Dispose();
    }

    [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningLine();
}

/// <summary>How <see cref="ServerProcess.StartAsync"/> runs the Server.</summary>
public sealed record ServerProcessOptions
{
    /// <summary>The longest the Server may live (coreutils' <c>timeout</c>). Default 10 minutes.</summary>
    public TimeSpan Lifetime { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>The folder holding Integrations.Server.dll; default <see cref="ServerProcess.DefaultServerDirectory"/>.</summary>
    public string? ServerDirectory { get; init; }

    /// <summary>Console lines kept (the oldest are dropped). Default 100,000: a test can search all of it for credentials.</summary>
    public int MaxOutputLines { get; init; } = 100_000;
}
