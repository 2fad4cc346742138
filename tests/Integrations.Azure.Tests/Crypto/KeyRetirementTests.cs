using Integrations.Core.Crypto;
using Integrations.Core.Rotation;
using Integrations.Core.Vault;
using Microsoft.Extensions.Options;

namespace Integrations.Azure.Tests.Crypto;

/// <summary>
/// A retired KEK still opens values during its grace period (a straggler is re-wrapped by the next rotation, never
/// lost), and after it is not loaded at all, so a leaked KEK stops being useful.
/// </summary>
public sealed class KeyRetirementTests
{
    [Fact]
    public async Task ValueSealedUnderAKekAfterItWasRetired_StillOpens_AndTheNextRotationRewrapsIt()
    {
        await using var hub = await HubServices.StartAsync();
        var (org, project) = await hub.CreateProjectAsync("Acme");
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
        Assert.Equal(0, await hub.CountWrappedByAsync(oldKekId));
        Assert.Equal("late-value", (await hub.Get<VaultService>().RevealAsync(location, null)).Value?.Value);
    }

    [Fact]
    public async Task KekRetiredLongerThanTheGracePeriod_IsNotLoaded_SoAPlantedValueDoesNotOpen()
    {
        await using var hub = await HubServices.StartAsync();
        var (org, project) = await hub.CreateProjectAsync("Acme");
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
        var rootKey = hub.Get<IOptions<KeyWrappingOptions>>().Value.RootKey;
        await using var fresh = await HubServices.StartAsync(hub.Prefix, rootKey);

        await Assert.ThrowsAsync<SecretIntegrityException>(() => fresh.Get<VaultService>().RevealAsync(location, null));
        Assert.DoesNotContain(oldKekId, await fresh.Get<KekLifecycle>().ListKekIdsAsync());
    }
}
