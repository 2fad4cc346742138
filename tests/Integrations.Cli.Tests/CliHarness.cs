using System.Text.RegularExpressions;
using Azure.Data.Tables;
using Integrations.Core.Common;
using Integrations.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace Integrations.Cli.Tests;

/// <summary>What one in-process run of ihub returned and printed.</summary>
internal sealed record CliResult(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Output}\n--- stderr\n{Error}";
}

/// <summary>
/// A hub of its own on the shared Azurite (a fresh Storage:Prefix and root key), with ihub run in-process against
/// it and the same services (<see cref="CliHost"/>) available to arrange and check what the CLI did.
/// </summary>
internal sealed partial class CliHarness
{
    private CliHarness(string connectionString)
    {
        ConnectionString = connectionString;
        var settings = new HubTestSettings(connectionString);
        Prefix = settings.Prefix;
        Settings = settings.Build();
        // No API key cache, so a revocation is seen by the next authentication.
        Settings["Hub:ApiKeyCacheDuration"] = "00:00:00";
    }

    public string ConnectionString { get; }

    public string Prefix { get; }

    /// <summary>What the environment would supply; tests change it before running a command.</summary>
    public Dictionary<string, string?> Settings { get; }

    /// <summary>A harness on the shared Azurite.</summary>
    public static async Task<CliHarness> StartAsync() => new((await AzuriteInstance.Shared).ConnectionString);

    /// <summary>A harness for tests that must fail before storage is touched.</summary>
    public static CliHarness WithoutStorage() => new("UseDevelopmentStorage=true");

    public static string NewRootKey() => HubTestSettings.NewRootKey();

    public IConfiguration Configuration => new ConfigurationBuilder().AddInMemoryCollection(Settings).Build();

    public async Task<CliResult> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await Cli.RunAsync(args, Configuration, Console(output), Console(error));
        return new CliResult(exitCode, output.ToString(), error.ToString());
    }

    /// <summary>The hub's services for the current settings, as the CLI composes them. Storage is created first.</summary>
    public async Task<CliHost> ServicesAsync()
    {
        var host = CliHost.Create(Configuration);
        await host.Services.GetRequiredService<IHubStorage>().InitializeAsync();
        return host;
    }

    public TableClient Table(string name) => new(ConnectionString, Prefix + name);

    public static string Single(Regex pattern, string text)
    {
        var matches = pattern.Matches(text).Select(m => m.Value).Distinct().ToList();
        Assert.True(matches.Count == 1, $"Expected one match of {pattern} in:\n{text}");
        return matches[0];
    }

    [GeneratedRegex(@"\borg_[a-z2-7]{20}\b")]
    public static partial Regex OrganizationId();

    [GeneratedRegex(@"\bihk_[0-9A-Za-z]{38}\b")]
    public static partial Regex ApiKey();

    [GeneratedRegex(@"\bkey_[a-z2-7]{20}\b")]
    public static partial Regex KeyId();

    [GeneratedRegex(@"\brot_[a-z2-7]{20}\b")]
    public static partial Regex RotationId();

    // Plain text, no colours, no live rendering, and wide enough that ids and messages are never wrapped.
    private static IAnsiConsole Console(TextWriter writer)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = 400;
        return console;
    }
}
