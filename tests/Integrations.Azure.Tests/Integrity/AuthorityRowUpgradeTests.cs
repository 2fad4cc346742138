using Azure;
using Azure.Data.Tables;
using Integrations.Azure.Tables;
using Integrations.Core.Crypto;
using Integrations.Core.Identity;
using Integrations.Core.Tenancy;
using Microsoft.Extensions.Options;

namespace Integrations.Azure.Tests.Integrity;

/// <summary>
/// Rows the foundation wrote (API keys under their SHA-256, no MACs) are refused until an operator runs <c>ihub upgrade</c>
/// once; an old-format row written after that is refused again — the hub never blesses one on read.
/// </summary>
public sealed class AuthorityRowUpgradeTests
{
    private const string Org = "org_uuuuuuuuuuuuuuuuuuuu";

    [Fact]
    public async Task FoundationKey_RefusedBeforeUpgrade_AuthenticatesAfter()
    {
        await using var hub = await HubServices.StartAsync();
        var (token, _) = ApiKeyToken.Generate();
        await WriteFoundationKeyAsync(hub, token, "key_uuuuuuuuuuuuuuuuuuuu", [Scopes.SecretsRead]);

        var before = await hub.Get<CallerAuthenticator>().AuthenticateAsync(token);
        var report = await hub.Get<AuthorityRowUpgrade>().UpgradeAsync();
        await using var other = await HubServices.StartAsync(hub.Prefix, RootKeyOf(hub));
        var after = await other.Get<CallerAuthenticator>().AuthenticateAsync(token);

        Assert.Null(before.Caller);
        Assert.Equal([$"{Org}/key_uuuuuuuuuuuuuuuuuuuu"], report.ApiKeys);
        Assert.Equal(Org, after.Caller?.OrganizationId);
        Assert.Equal([Scopes.SecretsRead], after.Caller!.Scopes);
        Assert.Single(await other.Get<ApiKeyService>().ListAsync(Org));
    }

    [Fact]
    public async Task FoundationKeyWhoseRowsDisagree_IsNotBroughtOver()
    {
        await using var hub = await HubServices.StartAsync();
        var (token, sha256) = ApiKeyToken.Generate();
        await WriteFoundationKeyAsync(hub, token, "key_uuuuuuuuuuuuuuuuuuuu", [Scopes.SecretsRead]);
        // Widened before the upgrade: the row by hash (the one that authenticated) no longer matches the listed one.
        await ApiKeys(hub).UpdateEntityAsync(new TableEntity(sha256, "key") { ["Scopes"] = string.Join(' ', Scopes.All) }, ETag.All, TableUpdateMode.Merge);

        var report = await hub.Get<AuthorityRowUpgrade>().UpgradeAsync();

        Assert.Empty(report.ApiKeys);
        Assert.Single(report.Refused);
        Assert.Null((await hub.Get<CallerAuthenticator>().AuthenticateAsync(token)).Caller);
    }

    [Fact]
    public async Task FoundationKeyWrittenAfterTheUpgrade_IsRefused()
    {
        await using var hub = await HubServices.StartAsync();
        await hub.Get<AuthorityRowUpgrade>().UpgradeAsync();
        var (token, _) = ApiKeyToken.Generate();

        await WriteFoundationKeyAsync(hub, token, "key_uuuuuuuuuuuuuuuuuuuu", Scopes.All);

        Assert.Null((await hub.Get<CallerAuthenticator>().AuthenticateAsync(token)).Caller);
        Assert.Empty(await hub.Get<ApiKeyService>().ListAsync(Org));
    }

    [Fact]
    public async Task SecondUpgradeRun_DoesNotBlessAnOldFormatRowWrittenAfterTheFirst()
    {
        // Arrange: the upgrade has run; then a storage writer adds a key row in the foundation's format.
        await using var hub = await HubServices.StartAsync();
        var first = await hub.Get<AuthorityRowUpgrade>().UpgradeAsync();
        var (token, _) = ApiKeyToken.Generate();
        await WriteFoundationKeyAsync(hub, token, "key_wwwwwwwwwwwwwwwwwwww", Scopes.All);

        // Act: an operator runs the command again.
        var second = await hub.Get<AuthorityRowUpgrade>().UpgradeAsync();

        // Assert: the second run changed nothing, and the planted key still cannot authenticate.
        Assert.Null(first.AlreadyUpgradedAt);
        Assert.NotNull(second.AlreadyUpgradedAt);
        Assert.Empty(second.ApiKeys);
        Assert.Null((await hub.Get<CallerAuthenticator>().AuthenticateAsync(token)).Caller);
    }

    [Fact]
    public async Task FoundationProjectRow_NotFoundBeforeUpgrade_FoundAfter()
    {
        await using var hub = await HubServices.StartAsync();
        var tenancy = new TableClient(hub.ConnectionString, hub.Prefix + "tenancy");
        const string ProjectId = "prj_uuuuuuuuuuuuuuuuuuuu";
        await tenancy.AddEntityAsync(new TableEntity(Org, "p:" + ProjectId) { ["Name"] = "p", ["CreatedBy"] = "test", ["CreatedAt"] = DateTimeOffset.UnixEpoch });

        var before = await hub.Get<TenancyService>().GetProjectAsync(Org, ProjectId);
        var report = await hub.Get<AuthorityRowUpgrade>().UpgradeAsync();
        var after = await hub.Get<TenancyService>().GetProjectAsync(Org, ProjectId);

        Assert.Null(before);
        Assert.Equal(1, report.Projects);
        Assert.Equal(Org, after?.OrganizationId);
    }

    private static TableClient ApiKeys(HubServices hub) => new(hub.ConnectionString, hub.Prefix + "apikeys");

    private static string RootKeyOf(HubServices hub) => hub.Get<IOptions<KeyWrappingOptions>>().Value.RootKey!;

    /// <summary>The two rows the foundation's store wrote for a key: by SHA-256 (RowKey <c>key</c>) and by organization.</summary>
    private static async Task WriteFoundationKeyAsync(HubServices hub, string token, string keyId, IReadOnlyList<string> scopes)
    {
        var sha256 = ApiKeyToken.Hash(token);
        foreach (var (partition, row) in new[] { (sha256, "key"), (Org, keyId) })
        {
            await ApiKeys(hub).AddEntityAsync(new TableEntity(partition, row)
            {
                ["Id"] = keyId,
                ["Org"] = Org,
                ["Name"] = "ci",
                ["Scopes"] = string.Join(' ', scopes),
                ["Hash"] = sha256,
                ["Hint"] = ApiKeyToken.Hint(token),
                ["CreatedBy"] = "test",
                ["CreatedAt"] = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero),
                ["ExpiresAt"] = null,
                ["RevokedAt"] = null,
            });
        }
    }
}
