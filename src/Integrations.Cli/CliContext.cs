using System.CommandLine;
using Azure;
using Integrations.Core.Common;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace Integrations.Cli;

/// <summary>What every command shares: its consoles, its settings, and the wrapper that runs an action and maps failures to exit codes.</summary>
internal sealed class CliContext(IConfiguration? settings, IAnsiConsole output, IAnsiConsole error, GlobalOptions globals)
{
    public delegate Task<int> Action(IServiceProvider services, CancellationToken cancellationToken);

    public IAnsiConsole Output => output;

    public GlobalOptions Globals => globals;

    /// <summary>
    /// Builds and validates the services, creates missing tables, queues and containers (the hub creates storage
    /// lazily, and an operator may run the CLI before the Server ever started), then runs <paramref name="action"/>.
    /// </summary>
    public async Task<int> RunAsync(ParseResult parsed, Action action, CancellationToken cancellationToken)
    {
        try
        {
            await using var host = CliHost.Create(settings, globals.ToSettings(parsed));
            await host.Services.GetRequiredService<IHubStorage>().InitializeAsync(cancellationToken).ConfigureAwait(false);
            return await action(host.Services, cancellationToken).ConfigureAwait(false);
        }
        catch (CliConfigurationException ex)
        {
            Error("Configuration error: " + ex.Message);
            return ExitCodes.Configuration;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Error("Cancelled. Every command can be run again: a key rotation resumes where it stopped.");
            return ExitCodes.Failure;
        }
        catch (Exception ex) when (ex is RequestFailedException or AggregateException { InnerException: RequestFailedException })
        {
            var failed = ex as RequestFailedException ?? (RequestFailedException)ex.InnerException!;
            Error(failed.Status == 0
                ? $"Storage cannot be reached ({FirstLine(failed.InnerException?.Message ?? failed.Message)}). Check the Storage setting."
                : $"Storage answered {failed.Status} {failed.ErrorCode}: {FirstLine(failed.Message)}");
            return ExitCodes.Failure;
        }
#pragma warning disable CA1031 // Whatever else fails, the operator gets one line and exit code 1, not a stack trace; messages of Core exceptions hold no secrets.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Error(FirstLine(ex.Message));
            return ExitCodes.Failure;
        }
    }

    /// <summary>
    /// The settings a command sees, layered as <see cref="CliHost"/> layers them: the environment's (or the tests'),
    /// then <paramref name="file"/> when given (instead of the environment), then the global options.
    /// </summary>
    public IConfiguration Configuration(ParseResult parsed, IConfiguration? file = null)
    {
        var builder = new ConfigurationBuilder();
        if (file is not null)
        {
            builder.AddConfiguration(file);
        }
        else if (settings is null)
        {
            builder.AddEnvironmentVariables();
        }
        else
        {
            builder.AddConfiguration(settings);
        }

        return builder.AddInMemoryCollection(globals.ToSettings(parsed)).Build();
    }

    /// <summary>Reports an expected failure of a Core operation. Invalid input is a usage problem (2); anything else a failure (1).</summary>
    public int Fail(HubError hubError)
    {
        Error(hubError.Message);
        return hubError.Kind == ErrorKind.Invalid ? ExitCodes.Configuration : ExitCodes.Failure;
    }

    public void Error(string message) => error.MarkupLine("[red]Error:[/] " + CliFormat.Markup(message));

    private static string FirstLine(string message)
    {
        var end = message.IndexOfAny(['\r', '\n']);
        return end < 0 ? message : message[..end];
    }
}
