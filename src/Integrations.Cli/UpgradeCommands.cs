using System.CommandLine;
using Integrations.Azure.Tables;
using Integrations.Core.Audit;
using Integrations.Core.Common;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace Integrations.Cli;

/// <summary>
/// <c>ihub upgrade</c>: brings a deployment's stored formats up to this version — key records bound to their purpose and
/// id, and the foundation's API-key and project rows MAC'd. Run it once, right after deploying; until then the hub refuses
/// the old rows (their keys answer 401, their projects 404), because it never trusts an unauthenticated authority row.
/// </summary>
internal static class UpgradeCommands
{
    public static Command Create(CliContext cli)
    {
        var upgrade = new Command("upgrade",
            "Upgrade stored formats after deploying a new version: bind key records, MAC the API-key and project rows written before. Runs to completion once (later runs change nothing); lists what it accepted.");
        upgrade.SetAction((parsed, ct) => cli.RunAsync(parsed, (services, token) => UpgradeAsync(cli, services, token), ct));
        return upgrade;
    }

    private static async Task<int> UpgradeAsync(CliContext cli, IServiceProvider services, CancellationToken cancellationToken)
    {
        var upgraded = await CliAudit.ChangeAsync(services, AuditPartition.Platform, AuditActions.AuthorityUpgrade, "upgrade/authority-rows", 200,
            async () => (Result<AuthorityUpgradeReport>)await services.GetRequiredService<AuthorityRowUpgrade>().UpgradeAsync(cancellationToken).ConfigureAwait(false),
            cancellationToken).ConfigureAwait(false);
        var report = upgraded.Value!;

        var output = cli.Output;
        if (report.AlreadyUpgradedAt is { } upgradedAt)
        {
            output.MarkupLineInterpolated(
                $"Already upgraded on {CliFormat.Time(upgradedAt)}: nothing changed. A row without a MAC written since is not from this hub's past (a storage writer can write one); re-create such a key with `ihub apikeys create` instead.");
            return ExitCodes.Success;
        }

        output.MarkupLineInterpolated($"Key ring: records bound to their purpose and id; authority key present.");
        output.MarkupLineInterpolated($"API keys brought over: {report.ApiKeys.Count}");
        foreach (var key in report.ApiKeys)
        {
            output.MarkupLineInterpolated($"  {key}");
        }

        output.MarkupLineInterpolated($"Project rows MAC'd: {report.Projects}");
        if (report.Refused.Count == 0)
        {
            return ExitCodes.Success;
        }

        output.MarkupLineInterpolated($"[yellow]Not brought over (they stay refused): {report.Refused.Count}[/]");
        foreach (var refused in report.Refused)
        {
            output.MarkupLineInterpolated($"  {refused}");
        }

        return ExitCodes.Failure;
    }
}
