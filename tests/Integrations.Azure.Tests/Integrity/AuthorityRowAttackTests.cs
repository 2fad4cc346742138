using Azure;
using Azure.Data.Tables;
using Integrations.Core.Audit;
using Integrations.Core.Crypto;
using Integrations.Core.Identity;
using Integrations.Core.Tenancy;
using Integrations.Testing;
using Microsoft.Extensions.Options;

namespace Integrations.Azure.Tests.Integrity;

/// <summary>
/// An attacker with write access to the tables, but not to the root key, tries to mint or widen access by editing the
/// rows that grant it (with the Tables SDK, as they would). Every attempt must end as an unknown key or project — never access.
/// </summary>
public sealed class AuthorityRowAttackTests
{
    private const string Victim = "org_vvvvvvvvvvvvvvvvvvvv";

    [Fact]
    public async Task InsertedKeyRow_InTheFoundationsFormat_DoesNotAuthenticate()
    {
        await using var hub = await HubServices.StartAsync();
        var (token, sha256) = ApiKeyToken.Generate();
        var table = ApiKeys(hub);

        // The row the foundation would have written for this key: PartitionKey = SHA-256 of the key, every scope.
        await table.AddEntityAsync(KeyRow(sha256, "key", token, Scopes.All));
        await table.AddEntityAsync(KeyRow(Victim, "key_attackerattackerattack", token, Scopes.All));

        var result = await hub.Get<CallerAuthenticator>().AuthenticateAsync(token);

        Assert.Null(result.Caller);
        Assert.Equal(AuthenticationFailure.Unknown, result.Failure);
    }

    [Fact]
    public async Task InsertedKeyRow_WithAMadeUpMac_DoesNotAuthenticate()
    {
        await using var hub = await HubServices.StartAsync();
        var (token, sha256) = ApiKeyToken.Generate();
        var row = KeyRow(sha256, "key", token, Scopes.All);
        row["Mac"] = Convert.ToBase64String(new byte[32]);
        row["Format"] = 2;

        await ApiKeys(hub).AddEntityAsync(row);

        Assert.Null((await hub.Get<CallerAuthenticator>().AuthenticateAsync(token)).Caller);
    }

    [Fact]
    public async Task ScopeAddedToAKeyRow_KeyIsRefusedAndAudited()
    {
        await using var hub = await HubServices.StartAsync();
        var issued = (await hub.Get<ApiKeyService>().CreateAsync(Victim, "ci", [Scopes.SecretsRead], null, "test")).Value!;
        var table = ApiKeys(hub);
        var hashRow = await HashRowOfAsync(table, issued.Key.Id);

        await table.UpdateEntityAsync(new TableEntity(hashRow.PartitionKey, hashRow.RowKey) { ["Scopes"] = string.Join(' ', Scopes.All) }, ETag.All, TableUpdateMode.Merge);
        await using var other = await SecondInstanceAsync(hub);
        var result = await other.Get<CallerAuthenticator>().AuthenticateAsync(issued.Token);

        Assert.Null(result.Caller);
        Assert.Equal(AuthenticationFailure.Unknown, result.Failure);
        Assert.True(await AuditedViolationAsync(hub), "the refused row is not in the platform audit log");
    }

    [Fact]
    public async Task RevocationClearedInTheKeyRows_KeyStaysRefused()
    {
        await using var hub = await HubServices.StartAsync();
        var issued = (await hub.Get<ApiKeyService>().CreateAsync(Victim, "ci", [Scopes.SecretsRead], null, "test")).Value!;
        await hub.Get<ApiKeyService>().RevokeAsync(Victim, issued.Key.Id, new ApiKeyActor("test", "test"));
        var table = ApiKeys(hub);

        foreach (var row in new[] { await HashRowOfAsync(table, issued.Key.Id), (await table.GetEntityAsync<TableEntity>(Victim, issued.Key.Id)).Value })
        {
            row.Remove("RevokedAt");
            await table.UpdateEntityAsync(row, ETag.All, TableUpdateMode.Replace);
        }

        await using var other = await SecondInstanceAsync(hub);
        var result = await other.Get<CallerAuthenticator>().AuthenticateAsync(issued.Token);

        Assert.Null(result.Caller);
    }

    [Fact]
    public async Task KeyRowMovedToAnotherOrganization_IsRefused()
    {
        await using var hub = await HubServices.StartAsync();
        var issued = (await hub.Get<ApiKeyService>().CreateAsync(Victim, "ci", [Scopes.SecretsRead], null, "test")).Value!;
        var table = ApiKeys(hub);
        var hashRow = await HashRowOfAsync(table, issued.Key.Id);

        await table.UpdateEntityAsync(new TableEntity(hashRow.PartitionKey, hashRow.RowKey) { ["Org"] = "org_aaaaaaaaaaaaaaaaaaaa" }, ETag.All, TableUpdateMode.Merge);
        await using var other = await SecondInstanceAsync(hub);

        Assert.Null((await other.Get<CallerAuthenticator>().AuthenticateAsync(issued.Token)).Caller);
    }

    [Fact]
    public async Task KeyRowStrippedToTheFoundationsFormat_IsRefused()
    {
        await using var hub = await HubServices.StartAsync();
        var issued = (await hub.Get<ApiKeyService>().CreateAsync(Victim, "ci", [Scopes.SecretsRead], null, "test")).Value!;
        var table = ApiKeys(hub);
        var hashRow = await HashRowOfAsync(table, issued.Key.Id);

        hashRow.Remove("Mac");
        hashRow.Remove("Format");
        hashRow["Scopes"] = string.Join(' ', Scopes.All);
        await table.UpdateEntityAsync(hashRow, ETag.All, TableUpdateMode.Replace);
        await using var other = await SecondInstanceAsync(hub);

        Assert.Null((await other.Get<CallerAuthenticator>().AuthenticateAsync(issued.Token)).Caller);
    }

    [Fact]
    public async Task UntouchedKey_StillAuthenticates_AndIsStoredUnderAKeyedHash()
    {
        await using var hub = await HubServices.StartAsync();
        var issued = (await hub.Get<ApiKeyService>().CreateAsync(Victim, "ci", [Scopes.SecretsRead], null, "test")).Value!;

        var result = await hub.Get<CallerAuthenticator>().AuthenticateAsync(issued.Token);
        var hashRow = await HashRowOfAsync(ApiKeys(hub), issued.Key.Id);

        Assert.Equal(Victim, result.Caller?.OrganizationId);
        Assert.NotEqual(ApiKeyToken.Hash(issued.Token), hashRow.PartitionKey);
    }

    [Fact]
    public async Task ProjectRowMovedToAnotherOrganization_IsNotFoundThere()
    {
        await using var hub = await HubServices.StartAsync();
        var (victimOrg, victimProject) = await hub.CreateProjectAsync("Victim");
        var (attackerOrg, _) = await hub.CreateProjectAsync("Attacker");
        var tenancy = new TableClient(hub.ConnectionString, hub.Prefix + "tenancy");
        var row = (await tenancy.GetEntityAsync<TableEntity>(victimOrg, "p:" + victimProject)).Value;

        await tenancy.UpsertEntityAsync(new TableEntity(row) { PartitionKey = attackerOrg }, TableUpdateMode.Replace);
        await using var other = await SecondInstanceAsync(hub);

        Assert.Null(await other.Get<TenancyService>().GetProjectAsync(attackerOrg, victimProject));
        Assert.DoesNotContain(await other.Get<TenancyService>().ListProjectsAsync(attackerOrg), p => p.Id == victimProject);
        Assert.NotNull(await other.Get<TenancyService>().GetProjectAsync(victimOrg, victimProject));
        Assert.True(await AuditedViolationAsync(hub), "the refused row is not in the platform audit log");
    }

    [Fact]
    public async Task ProjectRowInsertedIntoAnOrganization_IsNotFound()
    {
        await using var hub = await HubServices.StartAsync();
        var (org, _) = await hub.CreateProjectAsync("Acme");
        var tenancy = new TableClient(hub.ConnectionString, hub.Prefix + "tenancy");

        await tenancy.AddEntityAsync(new TableEntity(org, "p:prj_attackerattackeratta") { ["Name"] = "x", ["CreatedBy"] = "x", ["CreatedAt"] = DateTimeOffset.UnixEpoch });

        Assert.Null(await hub.Get<TenancyService>().GetProjectAsync(org, "prj_attackerattackeratta"));
    }

    private static TableClient ApiKeys(HubServices hub) => new(hub.ConnectionString, hub.Prefix + "apikeys");

    private static TableEntity KeyRow(string partition, string row, string token, IEnumerable<string> scopes) => new(partition, row)
    {
        ["Id"] = row == "key" ? "key_attackerattackerattack" : row,
        ["Org"] = Victim,
        ["Name"] = "attacker",
        ["Scopes"] = string.Join(' ', scopes),
        ["Hash"] = ApiKeyToken.Hash(token),
        ["Hint"] = ApiKeyToken.Hint(token),
        ["CreatedBy"] = "attacker",
        ["CreatedAt"] = DateTimeOffset.UnixEpoch,
    };

    // The attacker reads the table too: the key's row by hash is the one whose Id column names it.
    private static async Task<TableEntity> HashRowOfAsync(TableClient table, string keyId)
    {
        await foreach (var row in table.QueryAsync<TableEntity>(e => e.RowKey == "key"))
        {
            if (row.GetString("Id") == keyId)
            {
                return row;
            }
        }

        throw new InvalidOperationException("No hash row for " + keyId);
    }

    // A fresh instance (same deployment: same root key) has nothing cached: it reads the rows as the attacker left them.
    private static Task<HubServices> SecondInstanceAsync(HubServices hub) =>
        HubServices.StartAsync(hub.Prefix, hub.Get<IOptions<KeyWrappingOptions>>().Value.RootKey);

    private static async Task<bool> AuditedViolationAsync(HubServices hub)
    {
        var records = await AuditRows.ReadAsync(new TableClient(hub.ConnectionString, hub.Prefix + "audit"), AuditPartition.Platform);
        return records.Any(r => r.Record.ToJsonString().Contains(AuditActions.IntegrityViolation, StringComparison.Ordinal));
    }
}
