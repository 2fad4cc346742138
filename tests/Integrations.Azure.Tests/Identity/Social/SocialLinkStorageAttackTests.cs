using Azure;
using Azure.Data.Tables;
using Integrations.Azure.Tests.Identity.Users;
using Integrations.Core.Identity.Social;
using Integrations.Core.Integrity;
using static Integrations.Azure.Tests.Identity.Social.SocialHub;

namespace Integrations.Azure.Tests.Identity.Social;

/// <summary>
/// An attacker who can write the storage account (the Tables SDK against Azurite) and has a provider account of their own
/// linked to their own user tries to make a social login land on a victim. Without the authority key they cannot compute a
/// MAC or a lookup hash: every altered, copied or planted row is refused as absent and reported (event 1201).
/// </summary>
public sealed class SocialLinkStorageAttackTests
{
    [Fact]
    public async Task AttackersClaim_RePointedAtTheVictim_DoesNotLogInAsTheVictim()
    {
        await using var hub = await SocialHub.StartAsync();
        var (victim, attacker, attackerHash) = await TwoLinkedAsync(hub);
        var table = UsersTable(hub);
        var claim = (await table.GetEntityAsync<TableEntity>("s:" + attackerHash, "social")).Value;
        claim["UserId"] = victim;
        await table.UpdateEntityAsync(claim, ETag.All, TableUpdateMode.Replace);

        var login = await hub.Social().LoginAsync(Profile("attacker@example.com", providerUserId: "attacker-sub"), UserHub.Source);

        Assert.NotEqual(victim, login.Value?.Tokens.User.Id);
        Assert.Null(await hub.Links().FindUserAsync(attackerHash, "google"));
        Assert.Contains(hub.Logs.Lines, l => l.StartsWith("1201 Error", StringComparison.Ordinal) && l.Contains(AuthorityRows.SocialClaimKind, StringComparison.Ordinal));
        _ = attacker;
    }

    [Fact]
    public async Task VictimsClaimRow_CopiedUnderTheAttackersLookupHash_IsRefused()
    {
        await using var hub = await SocialHub.StartAsync();
        var (victim, _, attackerHash) = await TwoLinkedAsync(hub);
        var table = UsersTable(hub);
        var victimHash = await hub.Links().LookupHashAsync("google", "victim-sub");
        var victimClaim = (await table.GetEntityAsync<TableEntity>("s:" + victimHash, "social")).Value;
        // The attacker's own provider account should now find the victim: the victim's valid claim, under the attacker's hash.
        await table.UpsertEntityAsync(new TableEntity(victimClaim) { PartitionKey = "s:" + attackerHash }, TableUpdateMode.Replace);

        Assert.Null(await hub.Links().FindUserAsync(attackerHash, "google"));
        var login = await hub.Social().LoginAsync(Profile("attacker@example.com", providerUserId: "attacker-sub"), UserHub.Source);
        Assert.NotEqual(victim, login.Value?.Tokens.User.Id);
    }

    [Fact]
    public async Task AttackersLinkRow_CopiedIntoTheVictimsPartition_WithTheClaimPointedThere_IsRefused()
    {
        await using var hub = await SocialHub.StartAsync();
        var (victim, attacker, attackerHash) = await TwoLinkedAsync(hub, victimLinked: false);
        var table = UsersTable(hub);
        var link = (await table.GetEntityAsync<TableEntity>(attacker, "l:google")).Value;
        await table.AddEntityAsync(new TableEntity(link) { PartitionKey = victim });

        Assert.Empty(await hub.Links().ListAsync(victim));
        Assert.Contains(hub.Logs.Lines, l => l.StartsWith("1201 Error", StringComparison.Ordinal) && l.Contains(AuthorityRows.SocialLinkKind, StringComparison.Ordinal));
        Assert.Equal(attacker, await hub.Links().FindUserAsync(attackerHash, "google")); // their own link is untouched
    }

    [Fact]
    public async Task PlantedClaimAndLinkRows_WithoutAValidMac_GrantNothing()
    {
        await using var hub = await SocialHub.StartAsync();
        var (victim, _, _) = await TwoLinkedAsync(hub, victimLinked: false);
        var table = UsersTable(hub);
        // The hub could compute the hash; the attacker could not — plant exactly where a login would look, with a made-up MAC.
        var hash = await hub.Links().LookupHashAsync("github", "planted-sub");
        var now = hub.Time.GetUtcNow();
        await table.AddEntityAsync(new TableEntity("s:" + hash, "social")
        {
            ["UserId"] = victim, ["Provider"] = "github", ["LinkedAt"] = now, ["Mac"] = Convert.ToBase64String(new byte[32]), ["Format"] = AuthorityRows.RowFormat,
        });
        await table.AddEntityAsync(new TableEntity(victim, "l:github")
        {
            ["LookupHash"] = hash, ["Email"] = "victim@example.com", ["LinkedAt"] = now, ["Mac"] = Convert.ToBase64String(new byte[32]), ["Format"] = AuthorityRows.RowFormat,
        });

        Assert.Null(await hub.Links().FindUserAsync(hash, "github"));
        Assert.Empty(await hub.Links().ListAsync(victim));
        var login = await hub.Social().LoginAsync(Profile("someone.else@example.com", provider: "github", providerUserId: "planted-sub"), UserHub.Source);
        Assert.NotEqual(victim, login.Value?.Tokens.User.Id);
    }

    [Fact]
    public async Task ClaimLeftWithoutItsLinkRow_GrantsNothing()
    {
        await using var hub = await SocialHub.StartAsync();
        var (victim, _, _) = await TwoLinkedAsync(hub);
        var victimHash = await hub.Links().LookupHashAsync("google", "victim-sub");
        await UsersTable(hub).DeleteEntityAsync(victim, "l:google");

        Assert.Null(await hub.Links().FindUserAsync(victimHash, "google"));
    }

    /// <summary>A victim (linked to google "victim-sub" unless told not) and an attacker linked to google "attacker-sub".</summary>
    private static async Task<(string Victim, string Attacker, string AttackerHash)> TwoLinkedAsync(UserHub hub, bool victimLinked = true)
    {
        var victim = victimLinked
            ? (await hub.Social().LoginAsync(Profile("victim@example.com", providerUserId: "victim-sub"), UserHub.Source)).Value!.Tokens.User.Id
            : (await hub.SignUpAsync("victim@example.com")).Id;
        var attacker = (await hub.Social().LoginAsync(Profile("attacker@example.com", providerUserId: "attacker-sub"), UserHub.Source)).Value!.Tokens.User.Id;
        return (victim, attacker, await hub.Links().LookupHashAsync("google", "attacker-sub"));
    }

    private static TableClient UsersTable(UserHub hub) => new(hub.Services.ConnectionString, hub.Services.Prefix + "users");
}
