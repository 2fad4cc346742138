using System.CommandLine;
using Integrations.Core.Audit;
using Integrations.Core.Common;
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
        // The attempt names the organization before it exists: as in the API, an unaudited creation hands out no credential.
        var organizationId = Ids.New("org");
        var created = await CliAudit.ChangeAsync(services, AuditPartition.Platform, AuditActions.OrganizationCreate, $"org/{organizationId}", 201,
            () => services.GetRequiredService<TenancyService>().CreateOrganizationAsync(name, CliAudit.Actor, organizationId, cancellationToken),
            cancellationToken).ConfigureAwait(false);
        if (!created.IsSuccess)
        {
            return cli.Fail(created.Error);
        }

        var (organization, ownerKey) = created.Value;

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
