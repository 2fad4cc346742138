using Integrations.Core.Crypto;
using Integrations.Core.Rotation;
using Microsoft.Extensions.DependencyInjection;

namespace Integrations.Cli.Tests;

public sealed class KeysCommandsTests
{
    // 3 secrets with their latest value on the secret row, and 4 version rows.
    private const int SealedRows = 7;

    [Fact]
    public async Task KeysRotate_StoreWithSecrets_RewrapsEveryValueAndRetiresTheOldKek()
    {
        var hub = await CliHarness.StartAsync();
        SeededSecrets secrets;
        string oldKekId;
        await using (var services = await hub.ServicesAsync())
        {
            secrets = await SeededSecrets.CreateAsync(services.Services);
            oldKekId = (await services.Services.GetRequiredService<KeyRing>().GetStateAsync()).ActiveKekId;
        }

        var result = await hub.RunAsync("keys", "rotate");

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        var rotationId = CliHarness.Single(CliHarness.RotationId(), result.Output);
        Assert.Contains($"{SealedRows}/{SealedRows}", result.Output, StringComparison.Ordinal);
        var stored = await SeededSecrets.StoredKekIdsAsync(hub.Table("secrets"));
        Assert.Equal(SealedRows, stored.Count);
        Assert.DoesNotContain(oldKekId, stored);
        await using (var fresh = await hub.ServicesAsync())
        {
            var rotation = await fresh.Services.GetRequiredService<KeyRotationService>().GetAsync(rotationId);
            Assert.Equal(RotationStatus.Completed, rotation?.Status);
            Assert.All(stored, kekId => Assert.Equal(rotation!.NewKekId, kekId));
            Assert.Equal([rotation!.NewKekId!], await LiveKekIdsAsync(fresh.Services));
            await secrets.AssertEveryValueRevealsAsync(fresh.Services);
        }

        var status = await hub.RunAsync("keys", "rotation", rotationId);
        Assert.True(status.ExitCode == ExitCodes.Success, status.ToString());
        Assert.Contains("Completed", status.Output, StringComparison.Ordinal);
        Assert.Contains(oldKekId, status.Output, StringComparison.Ordinal);
    }

    /// <summary>
    /// Defined behaviour: a rotation that completed is done, so running the command again starts a new rotation
    /// (a new KEK; the previous one is retired in turn). Only a rotation still in progress is resumed.
    /// </summary>
    [Fact]
    public async Task KeysRotate_RunTwice_SecondRunStartsANewRotationAndEveryValueStillReveals()
    {
        var hub = await CliHarness.StartAsync();
        SeededSecrets secrets;
        await using (var services = await hub.ServicesAsync())
        {
            secrets = await SeededSecrets.CreateAsync(services.Services);
        }

        var first = await hub.RunAsync("keys", "rotate");
        var second = await hub.RunAsync("keys", "rotate");

        Assert.True(first.ExitCode == ExitCodes.Success, first.ToString());
        Assert.True(second.ExitCode == ExitCodes.Success, second.ToString());
        Assert.Contains("Started rotation", second.Output, StringComparison.Ordinal);
        var firstId = CliHarness.Single(CliHarness.RotationId(), first.Output);
        var secondId = CliHarness.Single(CliHarness.RotationId(), second.Output);
        Assert.NotEqual(firstId, secondId);
        await using var fresh = await hub.ServicesAsync();
        var rotations = fresh.Services.GetRequiredService<KeyRotationService>();
        var firstRotation = (await rotations.GetAsync(firstId))!;
        var secondRotation = (await rotations.GetAsync(secondId))!;
        Assert.Equal(RotationStatus.Completed, secondRotation.Status);
        // Every earlier KEK is re-checked (retired ones too, so a straggler is never stranded).
        Assert.Contains(firstRotation.NewKekId!, secondRotation.RetiringKekIds);
        Assert.DoesNotContain(secondRotation.NewKekId!, secondRotation.RetiringKekIds);
        Assert.Equal(SealedRows, secondRotation.Done);
        Assert.All(await SeededSecrets.StoredKekIdsAsync(hub.Table("secrets")), kekId => Assert.Equal(secondRotation.NewKekId, kekId));
        Assert.Equal([secondRotation.NewKekId!], await LiveKekIdsAsync(fresh.Services));
        await secrets.AssertEveryValueRevealsAsync(fresh.Services);
    }

    [Fact]
    public async Task KeysRotate_AfterAnInterruptedRun_ResumesTheSameRotation()
    {
        var hub = await CliHarness.StartAsync();
        SeededSecrets secrets;
        string interruptedId;
        await using (var services = await hub.ServicesAsync())
        {
            secrets = await SeededSecrets.CreateAsync(services.Services);
            var rotations = services.Services.GetRequiredService<KeyRotationService>();
            interruptedId = (await rotations.StartAsync(RotationKind.DataKeys)).Id;
            // Stop the run once the new KEK is active and re-wrapping has begun: the state a crash mid-rotation leaves.
            using var crash = new CancellationTokenSource();
            var progress = new SyncProgress(r => { if (r.Status == RotationStatus.Rewrapping) { crash.Cancel(); } });
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => rotations.RunAsync(interruptedId, progress, crash.Token));
            Assert.Equal(RotationStatus.Rewrapping, (await rotations.GetAsync(interruptedId))?.Status);
        }

        var result = await hub.RunAsync("keys", "rotate");

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        Assert.Contains($"Resuming rotation {interruptedId}", result.Output, StringComparison.Ordinal);
        Assert.Equal(interruptedId, CliHarness.Single(CliHarness.RotationId(), result.Output));
        await using var fresh = await hub.ServicesAsync();
        var rotation = (await fresh.Services.GetRequiredService<KeyRotationService>().GetAsync(interruptedId))!;
        Assert.Equal(RotationStatus.Completed, rotation.Status);
        Assert.All(await SeededSecrets.StoredKekIdsAsync(hub.Table("secrets")), kekId => Assert.Equal(rotation.NewKekId, kekId));
        await secrets.AssertEveryValueRevealsAsync(fresh.Services);
    }

    [Fact]
    public async Task KeysRotateRootKey_NewRootKeyWithThePreviousListed_ValuesRevealWithTheNewRootKeyAlone()
    {
        var hub = await CliHarness.StartAsync();
        SeededSecrets secrets;
        await using (var services = await hub.ServicesAsync())
        {
            secrets = await SeededSecrets.CreateAsync(services.Services);
        }

        hub.Settings["KeyWrapping:PreviousRootKeys:0"] = hub.Settings["KeyWrapping:RootKey"];
        hub.Settings["KeyWrapping:RootKey"] = CliHarness.NewRootKey();

        var result = await hub.RunAsync("keys", "rotate", "--target", "root-key");

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        Assert.Contains("root-key", result.Output, StringComparison.Ordinal);
        hub.Settings.Remove("KeyWrapping:PreviousRootKeys:0");
        await using var fresh = await hub.ServicesAsync();
        await secrets.AssertEveryValueRevealsAsync(fresh.Services);
    }

    [Fact]
    public async Task KeysRotation_UnknownId_ExitsOne()
    {
        var hub = await CliHarness.StartAsync();

        var result = await hub.RunAsync("keys", "rotation", "rot_aaaaaaaaaaaaaaaaaaaa");

        Assert.True(result.ExitCode == ExitCodes.Failure, result.ToString());
        Assert.Contains("no rotation rot_aaaaaaaaaaaaaaaaaaaa", result.Error, StringComparison.Ordinal);
    }

    private sealed class SyncProgress(Action<KeyRotation> report) : IProgress<KeyRotation>
    {
        public void Report(KeyRotation value) => report(value);
    }

    /// <summary>KEKs that are not retired.</summary>
    private static async Task<IReadOnlyList<string>> LiveKekIdsAsync(IServiceProvider services) =>
        (await services.GetRequiredService<IKeyRecordStore>().ListAsync())
            .Where(r => r.Purpose == KeyPurpose.DataKeyEncryption && !r.IsRetired).Select(r => r.Id).ToList();
}
