using Microsoft.Extensions.DependencyInjection;
using Azure;
using Azure.Data.Tables;
using Integrations.Core.Crypto;
using Integrations.Core.Rotation;
using Integrations.Core.Tenancy;
using Integrations.Core.Vault;

namespace Integrations.Azure.Tests.Services;

/// <summary>Regressions found in review; each test is named for what broke.</summary>
public sealed class ReviewRegressionTests
{
    [Fact]
    public async Task RowCopiedToAnotherTenant_DoesNotOpenThere()
    {
        await using var hub = await HubServices.StartAsync();
        var (victimOrg, victimProject) = await ProjectAsync(hub, "Victim");
        var (attackerOrg, attackerProject) = await ProjectAsync(hub, "Attacker");
        var vault = hub.Get<VaultService>();
        await vault.CreateAsync(victimOrg, victimProject, "token", new SecretInput("victim-value", null, null), "test");
        await vault.CreateAsync(attackerOrg, attackerProject, "placeholder", new SecretInput("x", null, null), "test");
        var table = new TableClient(hub.ConnectionString, hub.Prefix + "secrets");
        var row = (await table.GetEntityAsync<TableEntity>($"{victimOrg}_{victimProject}", "S:token")).Value;

        await table.UpsertEntityAsync(new TableEntity(row) { PartitionKey = $"{attackerOrg}_{attackerProject}", RowKey = "S:stolen" }, TableUpdateMode.Replace);

        await Assert.ThrowsAsync<SecretIntegrityException>(() => vault.RevealAsync(new SecretLocation(attackerOrg, attackerProject, "stolen"), null));
    }

    [Fact]
    public async Task RowCopiedToAnotherNameInTheSameProject_DoesNotOpen()
    {
        await using var hub = await HubServices.StartAsync();
        var (org, project) = await ProjectAsync(hub, "Acme");
        var vault = hub.Get<VaultService>();
        await vault.CreateAsync(org, project, "prod-key", new SecretInput("prod-value", null, null), "test");
        await vault.CreateAsync(org, project, "dev-key", new SecretInput("dev-value", null, null), "test");
        var table = new TableClient(hub.ConnectionString, hub.Prefix + "secrets");
        var prod = (await table.GetEntityAsync<TableEntity>($"{org}_{project}", "S:prod-key")).Value;

        await table.UpsertEntityAsync(new TableEntity(prod) { RowKey = "S:dev-key" }, TableUpdateMode.Replace);

        await Assert.ThrowsAsync<SecretIntegrityException>(() => vault.RevealAsync(new SecretLocation(org, project, "dev-key"), null));
    }

    [Fact]
    public async Task InterruptedPurge_CannotBeRestored_AndPurgeRunsAgainToTheEnd()
    {
        await using var hub = await HubServices.StartAsync();
        var (org, project) = await ProjectAsync(hub, "Acme");
        var vault = hub.Get<VaultService>();
        var location = new SecretLocation(org, project, "old");
        await vault.CreateAsync(org, project, "old", new SecretInput("v1", null, null), "test");
        await vault.UpdateAsync(location, new SecretInput("v2", null, null), null, "test");
        await vault.DeleteAsync(location, "test");
        // A purge that marked the secret and then crashed.
        var table = new TableClient(hub.ConnectionString, hub.Prefix + "secrets");
        await table.UpdateEntityAsync(new TableEntity($"{org}_{project}", "S:old") { ["Purging"] = true }, ETag.All, TableUpdateMode.Merge);

        var restore = await vault.RestoreAsync(location, "test");
        var purge = await vault.PurgeAsync(location, "test");
        var recreate = await vault.CreateAsync(org, project, "old", new SecretInput("fresh", null, null), "test");

        Assert.Equal(Core.Common.ErrorKind.NotFound, restore.Error?.Kind);
        Assert.True(purge.IsSuccess);
        Assert.True(recreate.IsSuccess);
        Assert.Equal([1], (await vault.ListVersionsAsync(location)).Value!.Select(v => v.Version));
    }

    [Fact]
    public async Task ValueSealedUnderAKekAfterItWasRetired_StillOpens_AndTheNextRotationRewrapsIt()
    {
        await using var hub = await HubServices.StartAsync();
        var (org, project) = await ProjectAsync(hub, "Acme");
        var oldKekId = (await hub.Get<KeyRing>().GetStateAsync()).ActiveKekId;
        var rotations = hub.Get<KeyRotationService>();
        await rotations.RunAsync((await rotations.StartAsync(RotationKind.DataKeys)).Id);
        // A straggler: an instance that still had the old KEK cached stores a value after the rotation finished.
        var oldKek = (await hub.Get<KeyRing>().GetAsync(oldKekId))!;
        var location = new SecretLocation(org, project, "straggler");
        var now = TimeProvider.System.GetUtcNow();
        var sealedValue = EnvelopeCipher.Seal("late-value"u8, SecretRecord.ContextFor(location, "sec_straggleraaaaaaaaaaa", 1), oldKek);
        await hub.Get<ISecretStore>().TryCreateAsync(
            new SecretRecord(location, "sec_straggleraaaaaaaaaaa", 1, null, [], "test", now, "test", now, null, sealedValue),
            new SecretVersionRecord(location, 1, sealedValue, "test", now));

        var revealed = await hub.Get<VaultService>().RevealAsync(location, null);
        var second = await rotations.RunAsync((await rotations.StartAsync(RotationKind.DataKeys)).Id);

        Assert.Equal("late-value", revealed.Value?.Value);
        Assert.Contains(oldKekId, second!.RetiringKekIds);
        Assert.Equal(0, await KeyRotationTests.CountWrappedByAsync(hub, oldKekId));
        Assert.Equal("late-value", (await hub.Get<VaultService>().RevealAsync(location, null)).Value?.Value);
    }

    [Fact]
    public async Task KekRetiredLongerThanTheGracePeriod_IsNotLoaded_SoAPlantedValueDoesNotOpen()
    {
        await using var hub = await HubServices.StartAsync();
        var (org, project) = await ProjectAsync(hub, "Acme");
        var oldKekId = (await hub.Get<KeyRing>().GetStateAsync()).ActiveKekId;
        var rotations = hub.Get<KeyRotationService>();
        await rotations.RunAsync((await rotations.StartAsync(RotationKind.DataKeys)).Id);
        var leaked = (await hub.Get<KeyRing>().GetAsync(oldKekId))!;
        var records = hub.Get<IKeyRecordStore>();
        var retired = (await records.GetAsync(oldKekId))!;
        await records.TryReplaceAsync(retired with { RetiredAt = retired.RetiredAt!.Value.AddDays(-2) });
        // Someone holding the old KEK and write access to storage plants a value under it.
        var location = new SecretLocation(org, project, "planted");
        var now = TimeProvider.System.GetUtcNow();
        var planted = EnvelopeCipher.Seal("forged"u8, SecretRecord.ContextFor(location, "sec_plantedaaaaaaaaaaaaa", 1), leaked);
        await hub.Get<ISecretStore>().TryCreateAsync(
            new SecretRecord(location, "sec_plantedaaaaaaaaaaaaa", 1, null, [], "x", now, "x", now, null, planted),
            new SecretVersionRecord(location, 1, planted, "x", now));
        var rootKey = hub.Get<Microsoft.Extensions.Options.IOptions<KeyWrappingOptions>>().Value.RootKey;
        await using var fresh = await HubServices.StartAsync(hub.Prefix, rootKey);

        await Assert.ThrowsAsync<SecretIntegrityException>(() => fresh.Get<VaultService>().RevealAsync(location, null));
        Assert.DoesNotContain(oldKekId, await fresh.Get<KekLifecycle>().ListKekIdsAsync());
    }

    [Fact]
    public async Task OldKekThatCannotBeUnwrapped_DoesNotStopTheRing_IsNotRetriedEveryRefresh_AndReadsAsUnavailable()
    {
        await using var hub = await HubServices.StartAsync();
        var (org, project) = await ProjectAsync(hub, "Acme");
        var vault = hub.Get<VaultService>();
        var location = new SecretLocation(org, project, "under-old");
        await vault.CreateAsync(org, project, "under-old", new SecretInput("v", null, null), "test");
        var oldKekId = (await hub.Get<KeyRing>().GetStateAsync()).ActiveKekId;
        await hub.Get<KekLifecycle>().EnsureKekAsync("kek_newaaaaaaaaaaaaaaaaa");
        await hub.Get<KekLifecycle>().ActivateAsync("kek_newaaaaaaaaaaaaaaaaa");
        var records = hub.Get<IKeyRecordStore>();
        var old = (await records.GetAsync(oldKekId))!;
        var corrupted = (byte[])old.Wrapped.Ciphertext.Clone();
        corrupted[^1] ^= 1;
        await records.TryReplaceAsync(old with { Wrapped = old.Wrapped with { Ciphertext = corrupted } });
        var rootKey = hub.Get<Microsoft.Extensions.Options.IOptions<KeyWrappingOptions>>().Value.RootKey;
        var counting = (CountingRoot?)null;
        await using var fresh = await HubServices.StartAsync(hub.Prefix, rootKey, configure: s =>
            s.AddSingleton<IRootKeyWrapper>(sp => counting = new CountingRoot(sp.GetRequiredService<LocalRootKeyWrapper>())));

        var created = await fresh.Get<VaultService>().CreateAsync(org, project, "new-one", new SecretInput("n", null, null), "test");
        await Assert.ThrowsAsync<KeyUnavailableException>(() => fresh.Get<VaultService>().RevealAsync(location, null));
        var unwrapsAfterFirstFailure = counting!.Unwraps;
        for (var i = 0; i < 3; i++)
        {
            await Task.Delay(TimeSpan.FromSeconds(1.1)); // past the test's 1 s refresh interval
            await fresh.Get<KeyRing>().GetActiveAsync();
        }

        Assert.True(created.IsSuccess);
        Assert.Equal(unwrapsAfterFirstFailure, counting.Unwraps);
    }

    /// <summary>The real local root wrapper, counting unwrap calls.</summary>
    private sealed class CountingRoot(LocalRootKeyWrapper inner) : IRootKeyWrapper
    {
        private int _unwraps;

        public int Unwraps => _unwraps;

        public Task<WrappedKey> WrapAsync(ReadOnlyMemory<byte> key, CancellationToken cancellationToken = default) => inner.WrapAsync(key, cancellationToken);

        public Task<byte[]> UnwrapAsync(WrappedKey wrapped, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _unwraps);
            return inner.UnwrapAsync(wrapped, cancellationToken);
        }

        public Task<string> GetCurrentKeyIdAsync(CancellationToken cancellationToken = default) => inner.GetCurrentKeyIdAsync(cancellationToken);

        public Task CheckAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;
    }

    private static async Task<(string Org, string Project)> ProjectAsync(HubServices hub, string name)
    {
        var tenancy = hub.Get<TenancyService>();
        var org = await tenancy.CreateOrganizationAsync(name, "test");
        var project = await tenancy.CreateProjectAsync(org.Value.Organization.Id, "p", "test");
        return (org.Value.Organization.Id, project.Value!.Id);
    }
}
