using System.Diagnostics;
using System.Reflection;
using Integrations.Testing;

namespace Integrations.Bench.Load;

/// <summary>
/// The real Server for a measurement: <see cref="ServerProcess"/> (the launcher the tests use: a child process on
/// http://127.0.0.1:0 that stops by itself when this process goes) configured as run.sh does (Storage,
/// KeyWrapping__RootKey, Hub__AdminKey) with the hub's production intervals, console logging at Warning and the rate
/// limits lifted.
/// </summary>
internal sealed class HubServerProcess : IAsyncDisposable
{
    private readonly ServerProcess _server;

    private HubServerProcess(ServerProcess server, string adminKey, string rootKey)
    {
        _server = server;
        AdminKey = adminKey;
        RootKey = rootKey;
    }

    public Uri BaseAddress => _server.BaseAddress;

    public string AdminKey { get; }

    /// <summary>The local root key it runs with (to start another instance over the same storage).</summary>
    public string RootKey { get; }

    /// <summary>The Server process (for CPU accounting).</summary>
    public int ServerProcessId => _server.ServerProcessId;

    /// <summary>The built Server's informational version: 1.0.0+&lt;commit it was built from&gt;.</summary>
    public static string Version => FileVersionInfo.GetVersionInfo(Path.Combine(ServerOutput, "Integrations.Server.dll")).ProductVersion ?? "unknown";

    /// <summary>The Server's recent console output (Warning and above), to explain failures.</summary>
    public string RecentOutput => _server.Output;

    private static string ServerOutput => typeof(HubServerProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "ServerOutputPath").Value!;

    public static async Task<HubServerProcess> StartAsync(
        string storageConnectionString, string storagePrefix, TimeSpan maxLifetime, IReadOnlyDictionary<string, string> extraEnvironment, CancellationToken cancellationToken,
        string? rootKey = null, string? adminKey = null)
    {
        // The hub's production intervals: this measures the Server as deployed, not as tests speed it up.
        // A second instance over the same storage passes the first one's root and admin keys.
        var settings = new HubTestSettings(storageConnectionString)
        {
            Prefix = storagePrefix, FastIntervals = false, RootKey = rootKey ?? HubTestSettings.NewRootKey(), AdminKey = adminKey ?? HubTestSettings.NewAdminKey(),
        };
        var configuration = settings.Build();
        // Console logging at Warning, so logging does not dominate.
        configuration["Logging:LogLevel:Default"] = "Warning";
        // The Server limits calls per API key (600/min by default) and failed authentications per address: the
        // benchmark's one key makes thousands a second, so both limits are lifted. Servers without limits ignore these.
        configuration["RateLimits:PerCredentialPerMinute"] = "100000000";
        configuration["RateLimits:FailedAuthenticationsPerMinute"] = "100000000";
        var environment = "Production";
        foreach (var (name, value) in extraEnvironment)
        {
            if (name == "ASPNETCORE_ENVIRONMENT")
            {
                environment = value;
                continue;
            }

            configuration[name.Replace("__", ":", StringComparison.Ordinal)] = value;
        }

        var server = await ServerProcess.StartAsync(configuration, environment,
            new ServerProcessOptions { Lifetime = maxLifetime, ServerDirectory = ServerOutput, MaxOutputLines = 200 }, cancellationToken).ConfigureAwait(false);
        return new HubServerProcess(server, settings.AdminKey, settings.RootKey);
    }

    /// <summary>Waits until <c>/readyz</c> answers 200 (storage and keys reachable).</summary>
    public Task WaitUntilReadyAsync(HttpClient http, CancellationToken cancellationToken) => _server.WaitUntilReadyAsync(http, cancellationToken);

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
