using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Integrations.Core.Audit;
using Integrations.Core.Common;
using Integrations.Core.Identity;
using Integrations.Core.Tenancy;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace Integrations.Cli;

/// <summary><c>ihub apikeys create|list|revoke</c>: an organization's API keys. Only <c>create</c> ever prints a key, once.</summary>
internal static class ApiKeyCommands
{
    public static Command Create(CliContext cli)
    {
        var org = new Option<string>("--org") { Description = "The organization's id (org_…).", Required = true };

        var name = new Option<string>("--name") { Description = "What the key is for (1 to 100 characters).", Required = true };
        var scopes = new Option<string[]>("--scope") { Description = "A scope the key grants; repeat for more.", Required = true };
        scopes.AcceptOnlyFromAmong([.. Scopes.All, .. Scopes.Platform]);
        var expires = new Option<DateTimeOffset?>("--expires")
        {
            Description = "When the key stops working, ISO 8601 (e.g. 2026-12-31T23:59:00Z; without an offset, UTC), within Hub:MaxApiKeyLifetime. " +
                "Default: the maximum lifetime (365 days unless configured).",
            CustomParser = ParseExpiry,
        };
        // Operators follow the maximum lifetime like every API caller unless they say otherwise, explicitly: a key that
        // never expires (a break-glass or long-lived service key) is a decision someone with storage access makes.
        var noExpiry = new Option<bool>("--no-expiry") { Description = "Create a key that never expires (outside Hub:MaxApiKeyLifetime). Not with --expires." };
        var create = new Command("create", "Create an API key for an organization. The key is shown once.") { org, name, scopes, expires, noExpiry };
        create.Validators.Add(result =>
        {
            if (result.GetValue(noExpiry) && result.GetValue(expires) is not null)
            {
                result.AddError("--no-expiry and --expires cannot be used together.");
            }
        });
        create.SetAction((parsed, ct) => cli.RunAsync(parsed, (services, token) =>
            CreateAsync(cli, services, parsed.GetValue(org)!, parsed.GetValue(name)!, parsed.GetValue(scopes)!, parsed.GetValue(expires), parsed.GetValue(noExpiry), token), ct));

        var list = new Command("list", "List an organization's API keys (hints only, never the keys).") { org };
        list.SetAction((parsed, ct) => cli.RunAsync(parsed, (services, token) => ListAsync(cli, services, parsed.GetValue(org)!, token), ct));

        var keyId = new Argument<string>("keyId") { Description = "The key's id (key_…), as `apikeys list` shows it." };
        var revoke = new Command("revoke",
            "Revoke an API key and every key it created (theirs too): they stop authenticating at once on this machine, and within Hub:ApiKeyCacheDuration everywhere.")
        {
            org,
            keyId,
        };
        revoke.SetAction((parsed, ct) => cli.RunAsync(parsed, (services, token) => RevokeAsync(cli, services, parsed.GetValue(org)!, parsed.GetValue(keyId)!, token), ct));

        return new Command("apikeys", "Organizations' API keys.") { create, list, revoke };
    }

    private static async Task<int> CreateAsync(
        CliContext cli, IServiceProvider services, string organizationId, string name, string[] scopes, DateTimeOffset? expiresAt, bool noExpiry,
        CancellationToken cancellationToken)
    {
        if (!await OrganizationExistsAsync(cli, services, organizationId, cancellationToken).ConfigureAwait(false))
        {
            return ExitCodes.Failure;
        }

        var apiKeys = services.GetRequiredService<ApiKeyService>();
        var keyId = Ids.New("key");
        var issued = await CliAudit.ChangeAsync(services, organizationId, AuditActions.ApiKeyCreate, $"apikey/{keyId}", 201,
            () => noExpiry
                ? apiKeys.CreateWithoutExpiryAsync(organizationId, name, scopes, CliAudit.Actor, keyId, cancellationToken)
                : apiKeys.CreateAsync(organizationId, name, scopes, expiresAt, CliAudit.Actor, keyId, cancellationToken),
            cancellationToken).ConfigureAwait(false);
        if (!issued.IsSuccess)
        {
            return cli.Fail(issued.Error);
        }

        var (key, token) = issued.Value;
        var grid = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
        grid.AddRow(new Text("Key id"), new Text(key.Id));
        grid.AddRow(new Text("Name"), new Text(CliFormat.Text(key.Name)));
        grid.AddRow(new Text("Scopes"), new Text(string.Join(' ', key.Scopes)));
        grid.AddRow(new Text("Expires"), new Text(key.ExpiresAt is null ? "never" : CliFormat.Time(key.ExpiresAt)));
        grid.AddRow(new Text("API key"), new Text(token, new Style(decoration: Decoration.Bold)));
        cli.Output.Write(grid);
        cli.Output.MarkupLine("[yellow]The API key is shown only now: store it in a secret manager. The hub keeps only its hash.[/]");
        return ExitCodes.Success;
    }

    private static async Task<int> ListAsync(CliContext cli, IServiceProvider services, string organizationId, CancellationToken cancellationToken)
    {
        if (!await OrganizationExistsAsync(cli, services, organizationId, cancellationToken).ConfigureAwait(false))
        {
            return ExitCodes.Failure;
        }

        var keys = await services.GetRequiredService<ApiKeyService>().ListAsync(organizationId, cancellationToken).ConfigureAwait(false);
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var table = new Table().AddColumn("Id").AddColumn("Name").AddColumn("Hint").AddColumn("Scopes").AddColumn("Created").AddColumn("Expires").AddColumn("Status");
        foreach (var key in keys.OrderBy(k => k.CreatedAt))
        {
            var status = key.RevokedAt is not null ? "revoked" : key.IsUsableAt(now) ? "active" : "expired";
            table.AddRow(key.Id, CliFormat.Markup(key.Name), CliFormat.Markup(key.Hint), string.Join(' ', key.Scopes), CliFormat.Time(key.CreatedAt),
                key.ExpiresAt is null ? "never" : CliFormat.Time(key.ExpiresAt), status);
        }

        cli.Output.Write(table);
        cli.Output.MarkupLine($"{CliFormat.Count(keys.Count)} keys.");
        return ExitCodes.Success;
    }

    private static async Task<int> RevokeAsync(CliContext cli, IServiceProvider services, string organizationId, string keyId, CancellationToken cancellationToken)
    {
        if (!await OrganizationExistsAsync(cli, services, organizationId, cancellationToken).ConfigureAwait(false))
        {
            return ExitCodes.Failure;
        }

        var revoked = await CliAudit.ChangeAsync(services, organizationId, AuditActions.ApiKeyRevoke, $"apikey/{keyId}", 204,
            () => services.GetRequiredService<ApiKeyService>().RevokeAsync(organizationId, keyId, new ApiKeyActor(CliAudit.ActorType, CliAudit.Actor), cancellationToken),
            cancellationToken).ConfigureAwait(false);
        if (!revoked.IsSuccess)
        {
            return cli.Fail(revoked.Error);
        }

        var (key, descendants) = revoked.Value;
        cli.Output.MarkupLineInterpolated($"Revoked {keyId} ({key.Name}).");
        if (descendants.Count > 0)
        {
            cli.Output.MarkupLineInterpolated($"Also revoked the {descendants.Count} keys it created (theirs included): {string.Join(' ', descendants)}.");
        }
        return ExitCodes.Success;
    }

    // The API takes the organization from the caller's key; here it is typed in, so check it names a real tenant
    // before keys are created for (or audit partitions named after) something that does not exist.
    private static async Task<bool> OrganizationExistsAsync(CliContext cli, IServiceProvider services, string organizationId, CancellationToken cancellationToken)
    {
        if (Ids.IsValid("org", organizationId)
            && await services.GetRequiredService<ITenancyStore>().GetOrganizationAsync(organizationId, cancellationToken).ConfigureAwait(false) is not null)
        {
            return true;
        }

        cli.Error($"There is no organization {organizationId}.");
        return false;
    }

    private static DateTimeOffset? ParseExpiry(ArgumentResult result)
    {
        var text = result.Tokens.Count == 0 ? "" : result.Tokens[0].Value;
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out var value))
        {
            return value;
        }

        result.AddError($"--expires: '{text}' is not an ISO 8601 time such as 2026-12-31T23:59:00Z.");
        return null;
    }
}
