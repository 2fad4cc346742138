using Integrations.Core.Crypto;
using Integrations.Core.Vault;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Integrations.Azure.Tests.Crypto;

public sealed class KeyRingTests
{
    [Fact]
    public async Task Initialize_ManyInstancesAtOnce_AgreeOnOneActiveKek()
    {
        var first = await HubServices.StartAsync();
        var rootKey = first.Get<IOptions<KeyWrappingOptions>>().Value.RootKey;
        var instances = new List<HubServices> { first };
        for (var i = 0; i < 5; i++)
        {
            instances.Add(await HubServices.StartAsync(first.Prefix, rootKey));
        }

        try
        {
            var actives = await Task.WhenAll(instances.Select(async h => (await h.Get<KeyRing>().GetActiveAsync()).Id));

            Assert.Single(actives.Distinct(StringComparer.Ordinal));
        }
        finally
        {
            foreach (var instance in instances)
            {
                await instance.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Initialize_WithAnotherRootKey_FailsClearly()
    {
        await using var first = await HubServices.StartAsync();
        await first.Get<KeyRing>().InitializeAsync();
        await using var wrongRoot = await HubServices.StartAsync(first.Prefix, HubServices.NewRootKey());

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => wrongRoot.Get<KeyRing>().InitializeAsync());

        Assert.Contains("KeyWrapping:PreviousRootKeys", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OldKekThatCannotBeUnwrapped_DoesNotStopTheRing_IsNotRetriedEveryRefresh_AndReadsAsUnavailable()
    {
        await using var hub = await HubServices.StartAsync();
        var (org, project) = await hub.CreateProjectAsync("Acme");
        var vault = hub.Get<VaultService>();
        var location = new SecretLocation(org, project, "under-old");
        await vault.CreateAsync(await hub.ProjectAsync(org, project), "under-old", new SecretInput("v", null, null), "test");
        var oldKekId = (await hub.Get<KeyRing>().GetStateAsync()).ActiveKekId;
        await hub.Get<KekLifecycle>().EnsureKekAsync("kek_newaaaaaaaaaaaaaaaaa");
        await hub.Get<KekLifecycle>().ActivateAsync("kek_newaaaaaaaaaaaaaaaaa");
        var records = hub.Get<IKeyRecordStore>();
        var old = (await records.GetAsync(oldKekId))!;
        var corrupted = (byte[])old.Wrapped.Ciphertext.Clone();
        corrupted[^1] ^= 1;
        await records.TryReplaceAsync(old with { Wrapped = old.Wrapped with { Ciphertext = corrupted } });
        var rootKey = hub.Get<IOptions<KeyWrappingOptions>>().Value.RootKey;
        var counting = (CountingRootKeyWrapper?)null;
        await using var fresh = await HubServices.StartAsync(hub.Prefix, rootKey, configure: s =>
            s.AddSingleton<IRootKeyWrapper>(sp => counting = new CountingRootKeyWrapper(sp.GetRequiredService<LocalRootKeyWrapper>())));

        var created = await fresh.Get<VaultService>().CreateAsync(await fresh.ProjectAsync(org, project), "new-one", new SecretInput("n", null, null), "test");
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
}
