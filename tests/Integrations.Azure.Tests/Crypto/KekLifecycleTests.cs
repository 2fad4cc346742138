using Integrations.Core.Crypto;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Integrations.Azure.Tests.Crypto;

public sealed class KekLifecycleTests
{
    [Fact]
    public async Task RewrapWithCurrentRootAsync_EveryRecordUnderTheCurrentRoot_WrapsNothing()
    {
        var counting = (CountingRootKeyWrapper?)null;
        await using var hub = await HubServices.StartAsync(configure: s =>
            s.AddSingleton<IRootKeyWrapper>(sp => counting = new CountingRootKeyWrapper(sp.GetRequiredService<LocalRootKeyWrapper>())));
        await hub.Get<KeyRing>().InitializeAsync();
        var wrapsBefore = counting!.Wraps;

        var rewrapped = await hub.Get<KekLifecycle>().RewrapWithCurrentRootAsync();

        // The current root key id comes from the wrapper itself, not from wrapping a throw-away key.
        Assert.Equal(0, rewrapped);
        Assert.Equal(wrapsBefore, counting.Wraps);
    }

    [Fact]
    public async Task RewrapWithCurrentRootAsync_AfterRootKeyChange_PutsEveryRecordUnderTheNewRoot()
    {
        await using var before = await HubServices.StartAsync();
        await before.Get<KeyRing>().InitializeAsync();
        var oldRoot = before.Get<IOptions<KeyWrappingOptions>>().Value.RootKey;
        await using var after = await HubServices.StartAsync(before.Prefix, HubServices.NewRootKey(),
            settings: new Dictionary<string, string?> { ["KeyWrapping:PreviousRootKeys:0"] = oldRoot });

        var rewrapped = await after.Get<KekLifecycle>().RewrapWithCurrentRootAsync();

        var current = await after.Get<IRootKeyWrapper>().GetCurrentKeyIdAsync();
        Assert.Equal(3, rewrapped); // the first KEK, the audit key and the authority key
        Assert.All(await after.Get<IKeyRecordStore>().ListAsync(), r => Assert.Equal(current, r.Wrapped.RootKeyId));
        await after.Get<KeyRing>().InitializeAsync();
    }
}
