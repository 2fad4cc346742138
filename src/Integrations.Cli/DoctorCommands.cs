using System.CommandLine;
using System.Security;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure;
using Azure.Data.Tables;
using Integrations.Azure.Tables;
using Integrations.Core.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Configuration;
using Spectre.Console;

namespace Integrations.Cli;

/// <summary>
/// <c>ihub doctor</c>: checks a hub configuration against the production checklist and says what to fix. It reads the
/// settings the hub would (environment variables and the global options), or a settings file — an appsettings.json, a
/// local.settings.json, or the JSON array <c>az functionapp config appsettings list</c> prints — and contacts nothing.
/// Exit code 1 when something is wrong, 0 when everything passes, 2 when the settings file cannot be read.
/// </summary>
internal static class DoctorCommands
{
    public static Command Create(CliContext cli)
    {
        var settingsFile = new Option<FileInfo?>("--settings")
        {
            Description = "A settings file to check instead of the environment: appsettings.json, local.settings.json, or the output of `az functionapp config appsettings list`.",
        };
        var environment = new Option<string?>("--environment")
        {
            Description = "The environment the settings are for (default: AZURE_FUNCTIONS_ENVIRONMENT, DOTNET_ENVIRONMENT or ASPNETCORE_ENVIRONMENT from the settings, else Production). Development relaxes the checks that only matter in production.",
        };
        var sources = new Option<bool>("--sources")
        {
            Description = "Also read every webhook source from storage and check its replay protection (the other checks contact nothing).",
        };
        var doctor = new Command("doctor", "Check the hub's settings against the production checklist and print what to fix (exit code 1 when something is wrong).")
        {
            settingsFile,
            environment,
            sources,
        };
        doctor.SetAction((parsed, ct) => RunAsync(cli, parsed, parsed.GetValue(settingsFile), parsed.GetValue(environment), parsed.GetValue(sources), ct));
        return doctor;
    }

    private static async Task<int> RunAsync(
        CliContext cli, ParseResult parsed, FileInfo? settingsFile, string? environmentName, bool checkSources, CancellationToken cancellationToken)
    {
        IConfiguration settings;
        try
        {
            settings = cli.Configuration(parsed, settingsFile is null ? null : ReadSettingsFile(settingsFile));
        }
        catch (CliConfigurationException ex)
        {
            cli.Error(ex.Message);
            return ExitCodes.Configuration;
        }

        var environment = environmentName
            ?? settings["AZURE_FUNCTIONS_ENVIRONMENT"] ?? settings["DOTNET_ENVIRONMENT"] ?? settings["ASPNETCORE_ENVIRONMENT"] ?? "Production";
        var findings = new List<DoctorFinding> { await StartupValidationAsync(settings).ConfigureAwait(false) };
        findings.AddRange(DoctorChecks.Run(settings, environment));
        if (checkSources && findings[0].Passed)
        {
            findings.Add(await WebhookSourcesAsync(settings, cancellationToken).ConfigureAwait(false));
        }

        var output = cli.Output;
        output.MarkupLineInterpolated($"Checking {(settingsFile is null ? "the environment's settings" : settingsFile.Name)} for {environment}:");
        foreach (var finding in findings)
        {
            if (finding.Passed)
            {
                output.MarkupLineInterpolated($"[green]ok[/]    {finding.Check}");
                continue;
            }

            output.MarkupLineInterpolated($"[red]FIX[/]   {finding.Check}");
            output.MarkupLineInterpolated($"      {finding.Problem}");
            output.MarkupLineInterpolated($"      How: {finding.Fix}");
        }

        if (!checkSources)
        {
            output.MarkupLineInterpolated($"--    {DoctorChecks.WebhookReplayCheck}: not checked (add --sources to read them from storage).");
        }

        var failed = findings.Count(f => !f.Passed);
        output.MarkupLineInterpolated($"{(failed == 0 ? "Everything on the checklist passes." : $"{failed} of {findings.Count} checks need a fix.")}");
        return failed == 0 ? ExitCodes.Success : ExitCodes.Failure;
    }

    /// <summary>The validation the hub runs at start (the same the other commands run before touching storage).</summary>
    private static async Task<DoctorFinding> StartupValidationAsync(IConfiguration settings)
    {
        const string Check = "Settings pass the hub's start-up validation";
        try
        {
            // Built and validated only: no hosted service starts and no client connects.
            await CliHost.Create(settings).DisposeAsync().ConfigureAwait(false);
            return new(Check);
        }
        catch (CliConfigurationException ex)
        {
            return new(Check, ex.Message.Split(Environment.NewLine)[0], "Set what the message names; every message above names its setting.");
        }
    }

    /// <summary>
    /// Every webhook source in storage, enumerated by the id index rows and each read through the store, so only a source
    /// whose row verifies (its MAC) is judged; a forged index row finds nothing.
    /// </summary>
    private static async Task<DoctorFinding> WebhookSourcesAsync(IConfiguration settings, CancellationToken cancellationToken)
    {
        try
        {
            await using var host = CliHost.Create(settings);
            var table = host.Services.GetRequiredService<HubTables>().WebhookSources;
            var store = host.Services.GetRequiredService<IWebhookSourceStore>();
            var found = new List<WebhookSource>();
            // Index rows: PartitionKey "I:{source id}" (TableWebhookSourceStore); ';' sorts right after ':'.
            var filter = TableClient.CreateQueryFilter($"PartitionKey ge {"I:"} and PartitionKey lt {"I;"}");
            await foreach (var row in table.QueryAsync<TableEntity>(filter, select: ["PartitionKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                if (await store.FindAsync(row.PartitionKey[2..], cancellationToken).ConfigureAwait(false) is { } source)
                {
                    found.Add(source);
                }
            }

            return DoctorChecks.WebhookReplay(found);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // No webhook source table yet: no source to check.
            return DoctorChecks.WebhookReplay([]);
        }
        catch (RequestFailedException ex)
        {
            return new(DoctorChecks.WebhookReplayCheck, $"The webhook sources could not be read (storage answered {ex.Status} {ex.ErrorCode}).",
                "Run with Storage settings that reach the hub's account and a role that can read its tables (Storage Table Data Reader).");
        }
    }

    /// <summary>
    /// Reads a settings file as configuration. App settings (<c>Values</c> of local.settings.json, or the name/value
    /// array of the Azure CLI) spell ':' as '__'; an appsettings.json is read as the hosts read it.
    /// </summary>
    private static IConfiguration ReadSettingsFile(FileInfo file)
    {
        JsonNode? json;
        try
        {
            json = JsonNode.Parse(File.ReadAllText(file.FullName));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or SecurityException or JsonException)
        {
            throw new CliConfigurationException($"--settings: {file.FullName} cannot be read as JSON ({ex.Message}).");
        }

        var appSettings = json switch
        {
            JsonArray array => array.OfType<JsonObject>().Select(s => ((string?)s["name"], s["value"]?.ToString())),
            JsonObject { } obj when obj["Values"] is JsonObject values => values.Select(v => ((string?)v.Key, v.Value?.ToString())),
            _ => null,
        };
        if (appSettings is null)
        {
            return new ConfigurationBuilder().AddJsonFile(file.FullName, optional: false).Build();
        }

        return new ConfigurationBuilder().AddInMemoryCollection(appSettings
            .Where(s => !string.IsNullOrEmpty(s.Item1))
            .Select(s => KeyValuePair.Create(s.Item1!.Replace("__", ":", StringComparison.Ordinal), s.Item2))).Build();
    }
}
