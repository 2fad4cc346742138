using Integrations.Core.Crypto;
using Integrations.Core.Rotation;
using Integrations.Core.Vault;
using Microsoft.Extensions.Options;

namespace Integrations.Azure.Tests.Rotation;

public sealed class KeyRotationTests
{
    [Fact]
    public async Task Rotate_RewrapsEveryValue_AndRetiresTheOldKek()
    {
        await using var hub = await HubServices.StartAsync();
        var (org, project) = await hub.CreateProjectAsync("Rotating");
        await CreateSecretsAsync(hub, org, project, count: 25, versions: 2);
        var oldKek = (await hub.Get<KeyRing>().GetStateAsync()).ActiveKekId;
        var rotations = hub.Get<KeyRotationService>();

        var started = await rotations.StartAsync(RotationKind.DataKeys);
        var finished = await rotations.RunAsync(started.Id);

        Assert.Equal(RotationStatus.Completed, finished!.Status);
        Assert.Equal(75, finished.Total); // 25 secrets: one current-value copy and two versions each
        Assert.Equal(0, await hub.CountWrappedByAsync(oldKek));
        Assert.True((await hub.Get<IKeyRecordStore>().GetAsync(oldKek))!.IsRetired);
        await AssertAllRevealAsync(hub, org, project, count: 25);
    }

    [Fact]
    public async Task Rotate_KilledHalfway_ResumesAndFinishes()
    {
        await using var hub = await HubServices.StartAsync();
        var (org, project) = await hub.CreateProjectAsync("Rotating");
        await CreateSecretsAsync(hub, org, project, count: 150, versions: 1);
        var oldKek = (await hub.Get<KeyRing>().GetStateAsync()).ActiveKekId;
        var rotations = hub.Get<KeyRotationService>();
        var started = await rotations.StartAsync(RotationKind.DataKeys);
        using var kill = new CancellationTokenSource();
        var progress = new SynchronousProgress(r =>
        {
            if (r.Done >= 100)
            {
                kill.Cancel();
            }
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => rotations.RunAsync(started.Id, progress, kill.Token));
        var halfway = await rotations.GetAsync(started.Id);
        var leftBehind = await hub.CountWrappedByAsync(oldKek);
        // Reads and writes work while the rotation is stopped halfway.
        await AssertAllRevealAsync(hub, org, project, count: 150);
        Assert.True((await hub.Get<VaultService>().UpdateAsync(new SecretLocation(org, project, "s0"), new SecretInput("value-0-2", null, null), null, "test")).IsSuccess);
        // A second start returns the rotation in progress instead of starting another.
        Assert.Equal(started.Id, (await rotations.StartAsync(RotationKind.DataKeys)).Id);
        var finished = await rotations.RunAsync(started.Id);

        Assert.Equal(RotationStatus.Rewrapping, halfway!.Status);
        Assert.InRange(halfway.Done, 100, 299);
        Assert.InRange(leftBehind, 1, 299);
        Assert.Equal(RotationStatus.Completed, finished!.Status);
        Assert.Equal(0, await hub.CountWrappedByAsync(oldKek));
        await AssertAllRevealAsync(hub, org, project, count: 150);
    }

    [Fact]
    public async Task Rotate_SeenFromASecondInstance_ItReadsAndWritesUnderTheNewKek()
    {
        await using var first = await HubServices.StartAsync();
        var (org, project) = await first.CreateProjectAsync("Rotating");
        await CreateSecretsAsync(first, org, project, count: 5, versions: 1);
        await using var second = await HubServices.StartAsync(first.Prefix, first.Get<IOptions<KeyWrappingOptions>>().Value.RootKey);
        await AssertAllRevealAsync(second, org, project, count: 5);

        var rotations = first.Get<KeyRotationService>();
        var done = await rotations.RunAsync((await rotations.StartAsync(RotationKind.DataKeys)).Id);
        await Task.Delay(TimeSpan.FromSeconds(1.1)); // the second instance re-reads the active KEK every second (test setting)
        Assert.True((await second.Get<VaultService>().CreateAsync(await second.ProjectAsync(org, project), "after", new SecretInput("new", null, null), "test")).IsSuccess);

        Assert.Equal(RotationStatus.Completed, done!.Status);
        await AssertAllRevealAsync(second, org, project, count: 5);
        Assert.Equal(done.NewKekId, (await first.Get<ISecretStore>().GetAsync(new SecretLocation(org, project, "after"), includeValue: true))!.CurrentValue!.KekId);
    }

    private sealed class SynchronousProgress(Action<KeyRotation> report) : IProgress<KeyRotation>
    {
        public void Report(KeyRotation value) => report(value);
    }

    internal static async Task CreateSecretsAsync(HubServices hub, string org, string project, int count, int versions)
    {
        var vault = hub.Get<VaultService>();
        for (var i = 0; i < count; i++)
        {
            Assert.True((await vault.CreateAsync(await hub.ProjectAsync(org, project), $"s{i}", new SecretInput($"value-{i}-1", null, null), "test")).IsSuccess);
            for (var v = 2; v <= versions; v++)
            {
                Assert.True((await vault.UpdateAsync(new SecretLocation(org, project, $"s{i}"), new SecretInput($"value-{i}-{v}", null, null), null, "test")).IsSuccess);
            }
        }
    }

    internal static async Task AssertAllRevealAsync(HubServices hub, string org, string project, int count)
    {
        var vault = hub.Get<VaultService>();
        for (var i = 0; i < count; i++)
        {
            var latest = await vault.RevealAsync(new SecretLocation(org, project, $"s{i}"), null);
            var first = await vault.RevealAsync(new SecretLocation(org, project, $"s{i}"), 1);
            Assert.StartsWith($"value-{i}-", latest.Value!.Value, StringComparison.Ordinal);
            Assert.Equal($"value-{i}-1", first.Value!.Value);
        }
    }
}
