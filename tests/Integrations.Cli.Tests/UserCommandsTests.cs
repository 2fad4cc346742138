using System.Text.RegularExpressions;
using Integrations.Core.Audit;
using Integrations.Core.Common;
using Integrations.Core.Identity.Recovery;
using Integrations.Core.Identity.Users;
using Microsoft.Extensions.DependencyInjection;

namespace Integrations.Cli.Tests;

public sealed partial class UserCommandsTests
{
    private const string Password = "Kettle-Harbour-Quartz-91";

    [Fact]
    public async Task UsersCreate_SkipVerification_CreatesAVerifiedUser_ThatListShows()
    {
        var hub = await StartAsync();

        var created = await hub.RunAsync("users", "create", "Dev@Example.com", "--password", Password, "--display-name", "Dev", "--skip-verification");
        var list = await hub.RunAsync("users", "list", "--search", "dev@");

        Assert.True(created.ExitCode == ExitCodes.Success, created.ToString());
        var userId = CliHarness.Single(UserId(), created.Output);
        await using var services = await hub.ServicesAsync();
        var user = await services.Services.GetRequiredService<IUserStore>().GetAsync(userId);
        Assert.True(user!.EmailVerified);
        Assert.True(list.ExitCode == ExitCodes.Success, list.ToString());
        Assert.Contains(userId, list.Output, StringComparison.Ordinal);
        Assert.Contains("Dev@example.com", list.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, created.Output + created.Error + list.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UsersCreate_WithoutSkip_IsUnverified_AndAWeakPasswordExitsTwo()
    {
        var hub = await StartAsync();

        var created = await hub.RunAsync("users", "create", "new@example.com", "--password", Password);
        var weak = await hub.RunAsync("users", "create", "weak@example.com", "--password", "Password1!");

        Assert.True(created.ExitCode == ExitCodes.Success, created.ToString());
        await using var services = await hub.ServicesAsync();
        Assert.False((await services.Services.GetRequiredService<IUserStore>().GetAsync(CliHarness.Single(UserId(), created.Output)))!.EmailVerified);
        Assert.True(weak.ExitCode == ExitCodes.Configuration, weak.ToString());
        Assert.DoesNotContain("Password1!", weak.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UsersUnlockVerifyResetPassword_ActOnTheUser_AndTheResetLinkWorks()
    {
        var hub = await StartAsync();
        var userId = CliHarness.Single(UserId(), (await hub.RunAsync("users", "create", "ops@example.com", "--password", Password)).Output);

        var unlock = await hub.RunAsync("users", "unlock", userId);
        var verify = await hub.RunAsync("users", "verify", userId);
        var reset = await hub.RunAsync("users", "reset-password", userId);

        Assert.True(unlock.ExitCode == ExitCodes.Success, unlock.ToString());
        Assert.True(verify.ExitCode == ExitCodes.Success, verify.ToString());
        Assert.True(reset.ExitCode == ExitCodes.Success, reset.ToString());
        var token = CliHarness.Single(ResetToken(), reset.Output);
        await using var services = await hub.ServicesAsync();
        Assert.True((await services.Services.GetRequiredService<IUserStore>().GetAsync(userId))!.EmailVerified);
        var confirmed = await services.Services.GetRequiredService<RecoveryService>().ConfirmPasswordResetAsync(token, "Lantern-Meadow-Cobalt-58");
        Assert.True(confirmed.IsSuccess, confirmed.Error?.Code);
        Assert.Equal(ExitCodes.Failure, (await hub.RunAsync("users", "verify", "usr_nosuchuseraaaaaaaaa")).ExitCode);
    }

    [Fact]
    public async Task UsersDelete_RemovesTheUser_AndAuditsAnHmacOfTheAddressOnly()
    {
        var hub = await StartAsync();
        var userId = CliHarness.Single(UserId(), (await hub.RunAsync("users", "create", "gone@example.com", "--password", Password)).Output);

        var deleted = await hub.RunAsync("users", "delete", userId);

        Assert.True(deleted.ExitCode == ExitCodes.Success, deleted.ToString());
        await using var services = await hub.ServicesAsync();
        Assert.Null(await services.Services.GetRequiredService<IUserStore>().GetAsync(userId));
        var now = TimeProvider.System.GetUtcNow();
        var records = (await services.Services.GetRequiredService<IAuditStore>()
            .QueryAsync(AuditPartition.Platform, now.AddHours(-1), now.AddMinutes(1), new PageRequest(1, PageRequest.MaxPerPage))).Items;
        var hmac = await services.Services.GetRequiredService<AuditLog>().HmacAsync("gone@example.com");
        Assert.Contains(records, r => r.Action == AuditActions.AdminUserDelete && r.Target == $"user/{userId} email-hmac:{hmac}" && r.Status == 204);
        Assert.All(records, r => Assert.DoesNotContain("gone@example.com", r.ToString(), StringComparison.OrdinalIgnoreCase));
        Assert.Equal(ExitCodes.Failure, (await hub.RunAsync("users", "delete", userId)).ExitCode);
    }

    private static async Task<CliHarness> StartAsync()
    {
        var hub = await CliHarness.StartAsync();
        // Cheap Argon2id (the validator's floor: 7 MiB × 5 passes).
        hub.Settings["Auth:PasswordHashing:MemoryKiB"] = "7168";
        hub.Settings["Auth:PasswordHashing:Iterations"] = "5";
        return hub;
    }

    [GeneratedRegex(@"usr_[A-Za-z0-9]+")]
    private static partial Regex UserId();

    [GeneratedRegex(@"ihp_[A-Za-z0-9]{38}")]
    private static partial Regex ResetToken();
}
