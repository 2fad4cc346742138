using System.CommandLine;
using Integrations.Core.Audit;
using Integrations.Core.Common;
using Integrations.Core.Identity.Administration;
using Integrations.Core.Identity.Recovery;
using Integrations.Core.Identity.Users;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace Integrations.Cli;

/// <summary>
/// <c>ihub users create|list|unlock|verify|reset-password|delete</c>: the admin's user operations with storage access, through
/// the same Core services as the admin routes, audited in the platform partition like them.
/// </summary>
internal static class UserCommands
{
    public static Command Create(CliContext cli)
    {
        var email = new Argument<string>("email") { Description = "The person's email address." };
        var password = new Option<string>("--password")
        {
            Description = "The initial password (checked against Auth:PasswordPolicy). For development: a shell history keeps it.", Required = true,
        };
        var displayName = new Option<string?>("--display-name") { Description = "The name shown for the person." };
        var skip = new Option<bool>("--skip-verification") { Description = "Mark the address verified at once (development); otherwise a verification is issued." };
        var create = new Command("create", "Create a user (and, without --skip-verification, send the verification).") { email, password, displayName, skip };
        create.SetAction((parsed, ct) => cli.RunAsync(parsed, (services, token) =>
            CreateAsync(cli, services, parsed.GetValue(email)!, parsed.GetValue(password)!, parsed.GetValue(displayName), parsed.GetValue(skip), token), ct));

        var search = new Option<string?>("--search") { Description = "An address prefix (case-insensitive)." };
        var page = new Option<int?>("--page") { Description = "The page (from 1)." };
        var perPage = new Option<int?>("--per-page") { Description = $"Users per page (1 to {PageRequest.MaxPerPage})." };
        var list = new Command("list", "List users, ordered by address.") { search, page, perPage };
        list.SetAction((parsed, ct) => cli.RunAsync(parsed, (services, token) =>
            ListAsync(cli, services, parsed.GetValue(search), parsed.GetValue(page), parsed.GetValue(perPage), token), ct));

        return new Command("users", "People who use the hub.")
        {
            create,
            list,
            UserCommand(cli, "unlock", "Clear the user's login lock.", AuditActions.AdminUserUnlock, 200,
                (admin, id, ct) => Describe(admin.UnlockAsync(id, ct), u => $"Login lock of {u.Id} cleared.")),
            UserCommand(cli, "verify", "Mark the user's email address verified.", AuditActions.AdminUserVerify, 200,
                (admin, id, ct) => Describe(admin.VerifyAsync(id, ct), u => $"Address of {u.Id} marked verified.")),
            UserCommand(cli, "reset-password", "Issue a password-reset link (sent as the event and/or mail when configured; printed here for the operator).",
                AuditActions.AdminUserPasswordReset, 202,
                (admin, id, ct) => Describe(admin.SendPasswordResetAsync(id, ct), i => $"Reset link for {i.UserId} (until {i.ExpiresAt:u}): {i.Url ?? i.Token}")),
            DeleteCommand(cli),
        };
    }

    private static Command UserCommand(
        CliContext cli, string name, string description, string action, int status, Func<AdminUserService, string, CancellationToken, Task<Result<string>>> run)
    {
        var userId = new Argument<string>("user-id") { Description = "The user's id (usr_…)." };
        var command = new Command(name, description) { userId };
        command.SetAction((parsed, ct) => cli.RunAsync(parsed, async (services, token) =>
        {
            var id = parsed.GetValue(userId)!;
            var admin = services.GetRequiredService<AdminUserService>();
            var result = await CliAudit.ChangeAsync(services, AuditPartition.Platform, action, "user/" + id, status, () => run(admin, id, token), token)
                .ConfigureAwait(false);
            if (!result.IsSuccess)
            {
                return cli.Fail(result.Error);
            }

            cli.Output.WriteLine(result.Value!);
            return ExitCodes.Success;
        }, ct));
        return command;
    }

    private static Command DeleteCommand(CliContext cli)
    {
        var userId = new Argument<string>("user-id") { Description = "The user's id (usr_…)." };
        var command = new Command("delete", "Delete the user: sessions, tokens, the account and its address (the audit keeps an HMAC of the address).") { userId };
        command.SetAction((parsed, ct) => cli.RunAsync(parsed, async (services, token) =>
        {
            var id = parsed.GetValue(userId)!;
            var admin = services.GetRequiredService<AdminUserService>();
            var user = await admin.GetAsync(id, token).ConfigureAwait(false);
            if (user is null)
            {
                return cli.Fail(HubError.NotFound("user"));
            }

            // The attempt already names who the account was, as the API's outcome does: by a keyed HMAC, never the address.
            var hmac = await services.GetRequiredService<AuditLog>().HmacAsync(user.EmailLookupKey, token).ConfigureAwait(false);
            var result = await CliAudit.ChangeAsync(services, AuditPartition.Platform, AuditActions.AdminUserDelete, $"user/{id} email-hmac:{hmac}", 204,
                () => admin.DeleteAsync(id, token), token).ConfigureAwait(false);
            if (!result.IsSuccess)
            {
                return cli.Fail(result.Error);
            }

            cli.Output.WriteLine($"User {id} deleted.");
            return ExitCodes.Success;
        }, ct));
        return command;
    }

    private static async Task<int> CreateAsync(
        CliContext cli, IServiceProvider services, string email, string password, string? displayName, bool skipVerification, CancellationToken cancellationToken)
    {
        // SignUpAsync makes the id, so the attempt cannot name it; the address is never a target.
        var created = await CliAudit.ChangeAsync(services, AuditPartition.Platform, AuditActions.AdminUserCreate, "user/(new)", 201,
            () => services.GetRequiredService<UserSessionService>().SignUpAsync(email, password, displayName, cancellationToken), cancellationToken)
            .ConfigureAwait(false);
        if (!created.IsSuccess)
        {
            return cli.Fail(created.Error);
        }

        var user = created.Value!;
        if (skipVerification)
        {
            var verified = await services.GetRequiredService<AdminUserService>().VerifyAsync(user.Id, cancellationToken).ConfigureAwait(false);
            if (!verified.IsSuccess)
            {
                return cli.Fail(verified.Error);
            }
        }
        else
        {
            await services.GetRequiredService<RecoveryService>().IssueVerificationAsync(user.Id, cancellationToken).ConfigureAwait(false);
        }

        cli.Output.WriteLine($"User {user.Id} created{(skipVerification ? " (address verified)" : "; verification sent")}.");
        return ExitCodes.Success;
    }

    private static async Task<int> ListAsync(CliContext cli, IServiceProvider services, string? search, int? page, int? perPage, CancellationToken cancellationToken)
    {
        var request = PageRequest.Create(page, perPage);
        if (!request.IsSuccess)
        {
            return cli.Fail(request.Error);
        }

        var list = await services.GetRequiredService<AdminUserService>().ListAsync(search, request.Value, cancellationToken).ConfigureAwait(false);
        if (!list.IsSuccess)
        {
            return cli.Fail(list.Error);
        }

        var table = new Table().AddColumn("Id").AddColumn("Email").AddColumn("Name").AddColumn("Verified").AddColumn("Created");
        foreach (var user in list.Value!.Items)
        {
            table.AddRow(new Text(user.Id), new Text(CliFormat.Text(user.Email)), new Text(CliFormat.Text(user.DisplayName)),
                new Text(user.EmailVerified ? "yes" : "no"), new Text(user.CreatedAt.ToString("u", System.Globalization.CultureInfo.InvariantCulture)));
        }

        cli.Output.Write(table);
        cli.Output.WriteLine($"{list.Value.Items.Count} of {list.Value.Total}");
        return ExitCodes.Success;
    }

    private static async Task<Result<string>> Describe<T>(Task<Result<T>> operation, Func<T, string> describe)
    {
        var result = await operation.ConfigureAwait(false);
        return result.IsSuccess ? describe(result.Value!) : result.Error;
    }
}
