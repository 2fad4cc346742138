using Azure.Data.Tables;
using Integrations.Azure.Tests.Identity.Users;
using Integrations.Core.Common;
using Integrations.Core.Identity.Administration;
using Integrations.Core.Identity.Organizations;
using Integrations.Core.Identity.Users;

namespace Integrations.Azure.Tests.Identity.Recovery;

/// <summary>The admin's user operations on Azurite: search, unlock, verify, logout, delete.</summary>
public sealed class AdminUserServiceTests
{
    [Fact]
    public async Task List_SearchByAddressPrefix_IsCaseInsensitive_OrderedAndPaged()
    {
        await using var hub = await RecoveryHub.StartAsync();
        await hub.SignUpAsync("bob@example.com");
        await hub.SignUpAsync("Alice@example.com");
        await hub.SignUpAsync("alina@example.org");
        var admin = hub.Services.Get<AdminUserService>();

        var matches = await admin.ListAsync("AL", new PageRequest(1, 1));
        var second = await admin.ListAsync("al", new PageRequest(2, 1));
        var all = await admin.ListAsync(null, PageRequest.Default);

        Assert.Equal(2, matches.Value!.Total);
        Assert.Equal("Alice@example.com", Assert.Single(matches.Value.Items).Email);
        Assert.Equal("alina@example.org", Assert.Single(second.Value!.Items).Email);
        Assert.Equal(3, all.Value!.Total);
    }

    [Fact]
    public async Task Unlock_ClearsTheLoginLock()
    {
        await using var hub = await RecoveryHub.StartAsync();
        var user = await hub.SignUpAsync("locked@example.com");
        for (var i = 0; i < 5; i++)
        {
            await hub.Users.LoginAsync("locked@example.com", "Wrong-Password-" + i, UserHub.Source);
        }

        Assert.Equal(UserErrors.LoginThrottled, (await hub.Users.LoginAsync("locked@example.com", UserHub.StrongPassword, UserHub.Source)).Error?.Code);

        Assert.True((await hub.Services.Get<AdminUserService>().UnlockAsync(user.Id)).IsSuccess);

        Assert.True((await hub.Users.LoginAsync("locked@example.com", UserHub.StrongPassword, UserHub.Source)).IsSuccess);
    }

    [Fact]
    public async Task VerifyAndLogout_MarkVerified_AndEndEverySession()
    {
        await using var hub = await RecoveryHub.StartAsync();
        var user = await hub.SignUpAsync("ops@example.com");
        var tokens = await hub.LoginAsync("ops@example.com");
        var admin = hub.Services.Get<AdminUserService>();

        Assert.True((await admin.VerifyAsync(user.Id)).Value!.EmailVerified);
        Assert.Equal(1, (await admin.LogoutAsync(user.Id)).Value);

        Assert.True((await hub.Store.GetAsync(user.Id))!.EmailVerified);
        Assert.Equal(UserErrors.InvalidRefreshToken, (await hub.Users.RefreshAsync(tokens.RefreshToken)).Error?.Code);
        Assert.Equal(ErrorKind.NotFound, (await admin.VerifyAsync("usr_nosuchuseraaaaaaaaa")).Error?.Kind);
    }

    [Fact]
    public async Task Delete_RemovesSessionsTokensRecoveryTokensAndTheAccount_AndFreesTheAddress()
    {
        await using var hub = await RecoveryHub.StartAsync();
        var user = await hub.SignUpAsync("gone@example.com");
        var other = await hub.SignUpAsync("stays@example.com");
        var tokens = await hub.LoginAsync("gone@example.com");
        var refreshed = (await hub.Users.RefreshAsync(tokens.RefreshToken)).Value!;
        var othersTokens = await hub.LoginAsync("stays@example.com");
        var reset = await hub.IssueResetAsync(user.Id);
        var admin = hub.Services.Get<AdminUserService>();

        var deleted = await admin.DeleteAsync(user.Id);

        Assert.True(deleted.IsSuccess);
        Assert.DoesNotContain("gone@example.com", deleted.Value, StringComparison.OrdinalIgnoreCase);
        Assert.Null(await hub.Store.GetAsync(user.Id));
        Assert.Null(await hub.Store.FindByEmailAsync("gone@example.com"));
        Assert.Empty(await RowsAsync(hub, "users", user.Id));
        Assert.Empty(await RowsAsync(hub, "memberships", UserOrganizations.PersonalOrganizationId(user.Id)));
        Assert.Equal(UserErrors.InvalidRefreshToken, (await hub.Users.RefreshAsync(refreshed.RefreshToken)).Error?.Code);
        Assert.Empty(await RowsWhereAsync(hub, "recoverytokens", "UserId", user.Id));
        Assert.Empty(await RowsAsync(hub, "recoverytokens", "u:" + user.Id));
        Assert.True((await hub.Users.RefreshAsync(othersTokens.RefreshToken)).IsSuccess);
        Assert.NotNull(await hub.Store.GetAsync(other.Id));
        Assert.Equal("invalid-recovery-token", (await hub.Recovery().ConfirmPasswordResetAsync(reset.Token, "Lantern-Meadow-Cobalt-58")).Error?.Code);
        Assert.True((await hub.Users.SignUpAsync("gone@example.com", UserHub.StrongPassword, "New")).IsSuccess);
        Assert.Equal(ErrorKind.NotFound, (await admin.DeleteAsync(user.Id)).Error?.Kind);
    }

    private static async Task<List<TableEntity>> RowsAsync(UserHub hub, string table, string partition)
    {
        var rows = new List<TableEntity>();
        await foreach (var row in new TableClient(hub.Services.ConnectionString, hub.Services.Prefix + table).QueryAsync<TableEntity>(e => e.PartitionKey == partition))
        {
            rows.Add(row);
        }

        return rows;
    }

    private static async Task<List<TableEntity>> RowsWhereAsync(UserHub hub, string table, string column, string value)
    {
        var rows = new List<TableEntity>();
        await foreach (var row in new TableClient(hub.Services.ConnectionString, hub.Services.Prefix + table).QueryAsync<TableEntity>($"{column} eq '{value}'"))
        {
            rows.Add(row);
        }

        return rows;
    }
}
