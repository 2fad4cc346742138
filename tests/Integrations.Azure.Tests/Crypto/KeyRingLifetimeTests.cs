using Integrations.Core.Crypto;
using Integrations.Core.Vault;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Integrations.Azure.Tests.Crypto;

/// <summary>
/// How long an instance may use a KEK it holds in memory: no longer than KeyWrapping:MaxUnwrappedKeyAge without the root
/// wrapper (Key Vault) agreeing again, and a retired one no longer than its grace period — both checked on every read.
/// </summary>
public sealed class KeyRingLifetimeTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 30, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task RootKeyDisabled_ReadsFailOnceMaxUnwrappedKeyAgeHasPassed_AndWorkAgainWhenItIsEnabled()
    {
        var root = (SwitchableRootKeyWrapper?)null;
        await using var hub = await HubServices.StartAsync(
            settings: new Dictionary<string, string?> { ["KeyWrapping:MaxUnwrappedKeyAge"] = "01:00:00" },
            configure: s =>
            {
                s.AddSingleton<TimeProvider>(_time);
                s.AddSingleton<IRootKeyWrapper>(sp => root = new SwitchableRootKeyWrapper(sp.GetRequiredService<LocalRootKeyWrapper>()));
            });
        var (org, project) = await hub.CreateProjectAsync("Acme");
        var vault = hub.Get<VaultService>();
        await vault.CreateAsync(await hub.ProjectAsync(org, project), "stripe", new SecretInput("sk_live", null, null), "test");
        var location = new SecretLocation(org, project, "stripe");
        root!.Disabled = true;

        var withinAge = await vault.RevealAsync(location, null);
        _time.Advance(TimeSpan.FromMinutes(61));
        await Assert.ThrowsAsync<KeyUnavailableException>(() => vault.RevealAsync(location, null)); // 503 keys-unavailable
        root.Disabled = false;
        var enabledAgain = await vault.RevealAsync(location, null);

        Assert.Equal("sk_live", withinAge.Value?.Value); // held in memory: no Key Vault call per read
        Assert.Equal("sk_live", enabledAgain.Value?.Value);
    }

    [Fact]
    public async Task RetiredKek_OnceItsGracePeriodPasses_NoLongerOpensValues_EvenWithoutARefresh()
    {
        await using var hub = await HubServices.StartAsync(
            settings: new Dictionary<string, string?>
            {
                ["KeyWrapping:RetiredKekGracePeriod"] = "00:10:00",
                ["KeyWrapping:MaxUnwrappedKeyAge"] = "1.00:00:00", // so only the grace period can end it here
            },
            configure: s => s.AddSingleton<TimeProvider>(_time));
        var (org, project) = await hub.CreateProjectAsync("Acme");
        var vault = hub.Get<VaultService>();
        await vault.CreateAsync(await hub.ProjectAsync(org, project), "old", new SecretInput("under-old-kek", null, null), "test");
        var location = new SecretLocation(org, project, "old");
        var oldKekId = (await hub.Get<KeyRing>().GetStateAsync()).ActiveKekId;
        var lifecycle = hub.Get<KekLifecycle>();
        await lifecycle.EnsureKekAsync("kek_newaaaaaaaaaaaaaaaaa");
        await lifecycle.ActivateAsync("kek_newaaaaaaaaaaaaaaaaa");
        _time.Advance(TimeSpan.FromSeconds(1)); // a reload at the same instant as the last one reuses it (single flight)
        await lifecycle.RetireAsync(oldKekId);

        var withinGrace = await vault.RevealAsync(location, null);
        _time.Advance(TimeSpan.FromMinutes(11));

        Assert.Equal("under-old-kek", withinGrace.Value?.Value);
        await Assert.ThrowsAsync<SecretIntegrityException>(() => vault.RevealAsync(location, null));
    }
}
