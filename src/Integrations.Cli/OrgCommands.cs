using System.CommandLine;
using Integrations.Core.Audit;
using Integrations.Core.Tenancy;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace Integrations.Cli;

/// <summary><c>ihub orgs create &lt;name&gt;</c>: a new tenant and its owner API key.</summary>
internal static class OrgCommands
{
    public static Command Create(CliContext cli)
    {
        var name = new Argument<string>("name") { Description = "The organization's display name (1 to 100 characters)." };
        var create = new Command("create", "Create an organization and its owner API key (every scope). The key is shown once.") { name };
        create.SetAction((parsed, ct) => cli.RunAsync(parsed, (services, token) => CreateAsync(cli, services, parsed.GetValue(name)!, token), ct));
        return new Command("orgs", "Organizations (tenants).") { create };
    }

    private static async Task<int> CreateAsync(CliContext cli, IServiceProvider services, string name, CancellationToken cancellationToken)
    {
        var created = await services.GetRequiredService<TenancyService>().CreateOrganizationAsync(name, CliAudit.Actor, cancellationToken).ConfigureAwait(false);
        if (!created.IsSuccess)
        {
            return cli.Fail(created.Error);
        }

        var (organization, ownerKey) = created.Value;
        // Audited before the key is shown: as in the API, an unaudited creation hands out no credential.
        await CliAudit.SucceededAsync(services, AuditPartition.Platform, AuditActions.OrganizationCreate, 201, $"org/{organization.Id}", cancellationToken)
            .ConfigureAwait(false);

        var grid = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
        grid.AddRow(new Text("Organization"), new Text(organization.Id));
        grid.AddRow(new Text("Name"), new Text(CliFormat.Text(organization.Name)));
        grid.AddRow(new Text("Owner key id"), new Text(ownerKey.Key.Id));
        grid.AddRow(new Text("Owner API key"), new Text(ownerKey.Token, new Style(decoration: Decoration.Bold)));
        cli.Output.Write(grid);
        cli.Output.MarkupLine("[yellow]The API key is shown only now: store it in a secret manager. The hub keeps only its hash.[/]");
        return ExitCodes.Success;
    }
}
