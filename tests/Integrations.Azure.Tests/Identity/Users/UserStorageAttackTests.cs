using Azure;
using Azure.Data.Tables;
using Integrations.Core.Common;
using Integrations.Core.Identity.Organizations;
using Integrations.Core.Identity.Passwords;
using Integrations.Core.Identity.Users;
using Integrations.Testing;

namespace Integrations.Azure.Tests.Identity.Users;

/// <summary>
/// An attacker who can write the storage account (the Tables SDK against Azurite, as they would) tries to log in as someone
/// else, keep a session alive after logout, or make a used refresh token work again. They cannot compute a MAC or a lookup
/// hash without the authority key, so every altered, planted or moved row is refused as absent and reported (event 1201).
/// </summary>
public sealed class UserStorageAttackTests
{
    private const string AttackerPassword = "Attacker-Knows-This-One-55";

    [Fact]
    public async Task PasswordHashOfTheVictimReplaced_WithOneTheAttackerMade_DoesNotLogIn()
    {
        await using var hub = await UserHub.StartAsync();
        var victim = await hub.SignUpAsync("victim@example.com");
        var row = await UsersTable(hub).GetEntityAsync<TableEntity>(victim.Id, "user");
        row.Value["PasswordHash"] = hub.Services.Get<IPasswordHasher>().Hash(AttackerPassword);
        await UsersTable(hub).UpdateEntityAsync(row.Value, ETag.All, TableUpdateMode.Replace);

        var attacker = await hub.Users.LoginAsync("victim@example.com", AttackerPassword, UserHub.Source);

        Assert.Equal(UserErrors.InvalidCredentials, attacker.Error?.Code);
        Assert.Null(await hub.Store.GetAsync(victim.Id));
        Assert.Contains(hub.Logs.Lines, l => l.StartsWith("1201 Error", StringComparison.Ordinal) && l.Contains("user/v1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AttackersOwnUserRow_CopiedUnderTheVictimsId_OrTheVictimsClaimPointedAtIt_DoesNotLogIn()
    {
        await using var hub = await UserHub.StartAsync();
        var victim = await hub.SignUpAsync("victim@example.com");
        var attacker = await hub.SignUpAsync("attacker@example.com", AttackerPassword);
        var table = UsersTable(hub);
        var attackerRow = (await table.GetEntityAsync<TableEntity>(attacker.Id, "user")).Value;

        // 1: their row (valid MAC) under the victim's id, with the victim's address.
        var copied = new TableEntity(attackerRow) { PartitionKey = victim.Id, RowKey = "user" };
        copied["Email"] = victim.Email;
        copied["EmailLookupKey"] = victim.EmailLookupKey;
        await table.UpsertEntityAsync(copied, TableUpdateMode.Replace);
        var asCopied = await hub.Users.LoginAsync("victim@example.com", AttackerPassword, UserHub.Source);

        // 2: the victim's address claim re-pointed at the attacker's own (valid) user.
        var claim = await ClaimOfAsync(table, victim.Id);
        claim["UserId"] = attacker.Id;
        await table.UpdateEntityAsync(claim, ETag.All, TableUpdateMode.Replace);
        var asRepointed = await hub.Users.LoginAsync("victim@example.com", AttackerPassword, UserHub.Source);

        Assert.Equal(UserErrors.InvalidCredentials, asCopied.Error?.Code);
        Assert.Equal(UserErrors.InvalidCredentials, asRepointed.Error?.Code);
        Assert.True((await hub.Users.LoginAsync("attacker@example.com", AttackerPassword, UserHub.Source)).IsSuccess); // their own row still works
    }

    [Fact]
    public async Task AttackersOwnClaimRow_CopiedToAnotherAddressesPartition_IsRefused()
    {
        await using var hub = await UserHub.StartAsync();
        var attacker = await hub.SignUpAsync("attacker@example.com", AttackerPassword);
        var table = UsersTable(hub);
        var claim = await ClaimOfAsync(table, attacker.Id);
        // The attacker cannot compute the victim's claim partition, but the hub can: plant the copy exactly there.
        var victimHash = await hub.Services.Get<Core.Integrity.AuthorityRows>().EmailLookupHashAsync("victim@example.com");
        await table.AddEntityAsync(new TableEntity(claim) { PartitionKey = "e:" + victimHash, RowKey = "email" });

        Assert.Null(await hub.Store.FindByEmailAsync("victim@example.com"));
        Assert.Equal(UserErrors.InvalidCredentials, (await hub.Users.LoginAsync("victim@example.com", AttackerPassword, UserHub.Source)).Error?.Code);
    }

    [Fact]
    public async Task SessionUnrevokedInStorageAfterLogout_StillRefusesItsRefreshToken()
    {
        await using var hub = await UserHub.StartAsync();
        await hub.SignUpAsync("victim@example.com");
        var login = await hub.LoginAsync("victim@example.com");
        await hub.Users.LogoutAsync(login.User.Id, login.SessionId);
        var table = UsersTable(hub);
        var row = (await table.GetEntityAsync<TableEntity>(login.User.Id, "s:" + login.SessionId)).Value;
        row.Remove("RevokedAt");
        row.Remove("RevokedReason");
        await table.UpdateEntityAsync(row, ETag.All, TableUpdateMode.Replace);

        var refreshed = await hub.Users.RefreshAsync(login.RefreshToken);

        Assert.Equal(UserErrors.InvalidRefreshToken, refreshed.Error?.Code);
        Assert.Contains(hub.Logs.Lines, l => l.StartsWith("1201 Error", StringComparison.Ordinal) && l.Contains("session/v1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SessionPointedBackAtARotatedToken_OrExtended_IsRefused()
    {
        await using var hub = await UserHub.StartAsync();
        await hub.SignUpAsync("victim@example.com");
        var login = await hub.LoginAsync("victim@example.com");
        var rotated = (await hub.Users.RefreshAsync(login.RefreshToken)).Value!;
        hub.Time.Advance(TimeSpan.FromMinutes(1));
        var table = UsersTable(hub);
        var row = (await table.GetEntityAsync<TableEntity>(login.User.Id, "s:" + login.SessionId)).Value;
        row["CurrentTokenHash"] = row.GetString("PreviousTokenHash");
        row["ExpiresAt"] = hub.Time.GetUtcNow().AddYears(10);
        await table.UpdateEntityAsync(row, ETag.All, TableUpdateMode.Replace);

        var old = await hub.Users.RefreshAsync(login.RefreshToken);
        var current = await hub.Users.RefreshAsync(rotated.RefreshToken);

        Assert.Equal(UserErrors.InvalidRefreshToken, old.Error?.Code);
        Assert.Equal(UserErrors.InvalidRefreshToken, current.Error?.Code); // the tampered session works for no one
    }

    [Fact]
    public async Task AttackersOwnTokenRewrittenToNameTheVictimsSession_IsRefused_AndEndsNothing()
    {
        await using var hub = await UserHub.StartAsync();
        var victimUser = await hub.SignUpAsync("victim@example.com");
        await hub.SignUpAsync("attacker@example.com", AttackerPassword);
        var victim = await hub.LoginAsync("victim@example.com");
        victim = (await hub.Users.RefreshAsync(victim.RefreshToken)).Value!; // generation 1: generation 0 would be "reuse"
        var attacker = await hub.LoginAsync("attacker@example.com", AttackerPassword);

        // The token format is public and the victim's ids leak (the access token carries sid): the attacker writes a token
        // naming the victim's session at generation 0, with their own nonce and tag and a checksum that matches. Were it
        // taken for a consumed token of the victim's family, the victim's session would be ended as reuse.
        var forged = ForgedRefreshToken.Naming(attacker.RefreshToken, victimUser.Id, victim.SessionId, generation: 0);
        var asReuse = await hub.Users.RefreshAsync(forged);
        var current = ForgedRefreshToken.Naming(attacker.RefreshToken, victimUser.Id, victim.SessionId, generation: 1);
        var asCurrent = await hub.Users.RefreshAsync(current);

        Assert.Equal(UserErrors.InvalidRefreshToken, asReuse.Error?.Code);
        Assert.Equal(UserErrors.InvalidRefreshToken, asCurrent.Error?.Code);
        Assert.Null((await hub.Store.GetSessionAsync(victimUser.Id, victim.SessionId))!.RevokedAt);
        Assert.True((await hub.Users.RefreshAsync(victim.RefreshToken)).IsSuccess); // the victim's session is untouched
    }

    [Fact]
    public async Task VictimsSessionRowCopiedIntoTheAttackersPartition_IsRefused()
    {
        await using var hub = await UserHub.StartAsync();
        await hub.SignUpAsync("victim@example.com");
        var attacker = await hub.SignUpAsync("attacker@example.com", AttackerPassword);
        var victim = await hub.LoginAsync("victim@example.com");
        var table = UsersTable(hub);
        var row = (await table.GetEntityAsync<TableEntity>(victim.User.Id, "s:" + victim.SessionId)).Value;

        await table.AddEntityAsync(new TableEntity(row) { PartitionKey = attacker.Id });

        Assert.Null(await hub.Store.GetSessionAsync(attacker.Id, victim.SessionId));
        Assert.Empty(await hub.Store.ListSessionsAsync(attacker.Id));
    }

    [Fact]
    public async Task VictimsMembershipRowCopiedIntoTheAttackersPartition_DoesNotLetTheirRefreshSpeakForThatOrganization()
    {
        await using var hub = await UserHub.StartAsync();
        var victim = await hub.SignUpAsync("victim@example.com");
        await hub.SignUpAsync("attacker@example.com", AttackerPassword);
        var attacker = await hub.LoginAsync("attacker@example.com", AttackerPassword);
        var victimsOrganization = UserOrganizations.PersonalOrganizationId(victim.Id);
        var table = UsersTable(hub);
        // The refresh reads the memberships in the same query as the user and the session: the victim's Owner row, copied
        // beside the attacker's session, must not verify there (the user id in its MAC is the victim's).
        var row = (await table.GetEntityAsync<TableEntity>(victim.Id, "m:" + victimsOrganization)).Value;
        await table.AddEntityAsync(new TableEntity(row) { PartitionKey = attacker.User.Id });

        var switched = await hub.Users.RefreshAsync(attacker.RefreshToken, victimsOrganization);

        Assert.Equal(ErrorKind.NotFound, switched.Error?.Kind);
        Assert.Contains(hub.Logs.Lines, l => l.StartsWith("1201 Error", StringComparison.Ordinal) && l.Contains("membership/v1", StringComparison.Ordinal));
    }

    private static TableClient UsersTable(UserHub hub) => new(hub.Services.ConnectionString, hub.Services.Prefix + "users");

    private static async Task<TableEntity> ClaimOfAsync(TableClient table, string userId)
    {
        await foreach (var claim in table.QueryAsync<TableEntity>(e => e.RowKey == "email"))
        {
            if (claim.GetString("UserId") == userId)
            {
                return claim;
            }
        }

        throw new InvalidOperationException("No claim for the user.");
    }
}
