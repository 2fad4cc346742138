using System.Diagnostics;
using System.Reflection;

namespace Integrations.Infra.Tests;

/// <summary>The Bicep CLI from the Azure.Bicep.CommandLine.linux-x64 package (a self-contained binary; runs offline).</summary>
internal static class BicepCli
{
    public static string Path { get; } = typeof(BicepCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "BicepPath").Value ?? throw new InvalidOperationException("BicepPath is empty.");

    /// <summary>Runs <c>bicep</c> with <paramref name="arguments"/> and returns its exit code and what it printed.</summary>
    public static async Task<BicepResult> RunAsync(params string[] arguments)
    {
        EnsureExecutable();
        var start = new ProcessStartInfo(Path) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // No telemetry, no version checks: CI has no network beyond the package registries.
        start.Environment["BICEP_TRACING_ENABLED"] = "false";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{Path} did not start.");
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return new BicepResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>NuGet extracts packages without Unix permissions on some hosts: give the binary its execute bit back.</summary>
    private static void EnsureExecutable()
    {
        if (!File.Exists(Path))
        {
            throw new FileNotFoundException($"The Bicep CLI is not at {Path}: restore tests/Integrations.Infra.Tests.", Path);
        }

        if (!OperatingSystem.IsWindows())
        {
            var mode = File.GetUnixFileMode(Path);
            var execute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
            if ((mode & UnixFileMode.UserExecute) == 0)
            {
                File.SetUnixFileMode(Path, mode | execute);
            }
        }
    }
}

internal sealed record BicepResult(int ExitCode, string Output, string Errors)
{
    /// <summary>Every warning or error line the CLI printed (diagnostics go to standard error).</summary>
    public IReadOnlyList<string> Diagnostics =>
        [.. (Output + "\n" + Errors).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => line.Contains(" : Warning ", StringComparison.Ordinal) || line.Contains(" : Error ", StringComparison.Ordinal))];
}
