using Azure;
using Azure.Data.Tables;
using Integrations.Core.Crypto;
using Microsoft.Extensions.Options;

namespace Integrations.Azure.Tests.Crypto;

/// <summary>
/// An attacker with write access to the keys table copies one record's wrapped bytes into another record (they cannot
/// unwrap them, but hope the hub will use one key in another's place). Every wrap is bound to its purpose and record id.
/// </summary>
public sealed class KeyRecordSwapTests
{
    [Fact]
    public async Task AuditKeyWrapCopiedIntoTheActiveKekRecord_RingRefusesToLoad()
    {
        await using var hub = await HubServices.StartAsync();
        var state = await hub.Get<KeyRing>().GetStateAsync();

        await CopyWrapAsync(hub, from: state.AuditKeyId, to: state.ActiveKekId);
        await using var other = await SecondInstanceAsync(hub);

        await Assert.ThrowsAsync<SecretIntegrityException>(() => other.Get<KeyRing>().InitializeAsync());
    }

    [Fact]
    public async Task KekWrapCopiedIntoAnotherKekRecord_ThatKekIsNotLoaded()
    {
        await using var hub = await HubServices.StartAsync();
        var kekA = (await hub.Get<KeyRing>().GetStateAsync()).ActiveKekId;
        const string KekB = "kek_bbbbbbbbbbbbbbbbbbbb";
        await hub.Get<KekLifecycle>().EnsureKekAsync(KekB);

        await CopyWrapAsync(hub, from: kekA, to: KekB);
        await using var other = await SecondInstanceAsync(hub);
        await other.Get<KeyRing>().InitializeAsync();

        Assert.NotNull(await other.Get<KeyRing>().GetAsync(kekA));
        Assert.Null(await other.Get<KeyRing>().GetAsync(KekB));
    }

    [Fact]
    public async Task KekWrapCopiedIntoTheAuthorityKeyRecord_RingRefusesToLoad()
    {
        await using var hub = await HubServices.StartAsync();
        var state = await hub.Get<KeyRing>().GetStateAsync();

        await CopyWrapAsync(hub, from: state.ActiveKekId, to: state.AuthorityKeyId!);
        await using var other = await SecondInstanceAsync(hub);

        await Assert.ThrowsAsync<SecretIntegrityException>(() => other.Get<KeyRing>().InitializeAsync());
    }

    [Fact]
    public async Task RecordRelabelledAsUnbound_InAnUpgradedRing_IsNotLoaded()
    {
        await using var hub = await HubServices.StartAsync();
        const string KekB = "kek_bbbbbbbbbbbbbbbbbbbb";
        await hub.Get<KekLifecycle>().EnsureKekAsync(KekB);
        var keys = new TableClient(hub.ConnectionString, hub.Prefix + "keys");

        await keys.UpdateEntityAsync(new TableEntity("key", KekB) { ["WrapFormat"] = WrappedKey.LegacyFormat }, ETag.All, TableUpdateMode.Merge);
        await using var other = await SecondInstanceAsync(hub);
        await other.Get<KeyRing>().InitializeAsync();

        Assert.Null(await other.Get<KeyRing>().GetAsync(KekB));
    }

    private static async Task CopyWrapAsync(HubServices hub, string from, string to)
    {
        var keys = new TableClient(hub.ConnectionString, hub.Prefix + "keys");
        var source = (await keys.GetEntityAsync<TableEntity>("key", from)).Value;
        var target = new TableEntity("key", to) { ["Wrapped"] = source["Wrapped"], ["RootKeyId"] = source["RootKeyId"] };
        await keys.UpdateEntityAsync(target, ETag.All, TableUpdateMode.Merge);
    }

    private static Task<HubServices> SecondInstanceAsync(HubServices hub) =>
        HubServices.StartAsync(hub.Prefix, hub.Get<IOptions<KeyWrappingOptions>>().Value.RootKey);
}
