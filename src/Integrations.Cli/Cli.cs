using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Spectre.Console;

namespace Integrations.Cli;

/// <summary>The command tree and the in-process entry point (Program.cs and the tests both call <see cref="RunAsync"/>).</summary>
internal static class Cli
{
    /// <summary>Parses <paramref name="args"/>, runs the command and returns its exit code (see <see cref="ExitCodes"/>).</summary>
    /// <param name="settings">The settings the environment would supply; null reads the environment variables. Tests pass their own so the machine's environment cannot leak in.</param>
    /// <param name="output">Where results go (default: stdout).</param>
    /// <param name="error">Where errors and usage problems go (default: stderr).</param>
    public static async Task<int> RunAsync(
        string[] args, IConfiguration? settings = null, IAnsiConsole? output = null, IAnsiConsole? error = null, CancellationToken cancellationToken = default)
    {
        output ??= StandardStream(Console.Out);
        error ??= StandardStream(Console.Error);
        var context = new CliContext(settings, output, error, new GlobalOptions());
        var parsed = CreateRootCommand(context).Parse(args);
        var invocation = new InvocationConfiguration { Output = output.Profile.Out.Writer, Error = error.Profile.Out.Writer };
        var exitCode = await parsed.InvokeAsync(invocation, cancellationToken).ConfigureAwait(false);
        // System.CommandLine answers a parse error with 1; a wrong command line is fixed like a wrong setting, so it gets 2.
        return parsed.Errors.Count > 0 ? ExitCodes.Configuration : exitCode;
    }

    private static IAnsiConsole StandardStream(TextWriter writer)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer) });
        if (!console.Profile.Out.IsTerminal)
        {
            // A redirected stream (a file, a pipe, CI) has no width: keep lines and table rows whole for grep rather than wrapping at 80.
            console.Profile.Width = 1000;
        }

        return console;
    }

    internal static RootCommand CreateRootCommand(CliContext context)
    {
        var root = new RootCommand("ihub: administration of Integrations Hub (key rotation, audit chain, organizations, API keys).")
        {
            KeysCommands.Create(context),
            AuditCommands.Create(context),
            OrgCommands.Create(context),
            ApiKeyCommands.Create(context),
            UserCommands.Create(context),
            UpgradeCommands.Create(context),
            DoctorCommands.Create(context),
        };
        foreach (var option in context.Globals.All)
        {
            root.Options.Add(option);
        }

        return root;
    }
}
