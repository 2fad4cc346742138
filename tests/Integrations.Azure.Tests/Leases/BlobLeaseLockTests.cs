using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Specialized;
using Integrations.Azure.Leases;
using Integrations.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Integrations.Azure.Tests.Leases;

public sealed class BlobLeaseLockTests
{
    [Fact]
    public async Task TryAcquire_WhileHeld_ReturnsNull_AndAfterReleaseSucceeds()
    {
        var container = await ContainerAsync();
        var locks = new BlobLeaseLock(container, TimeProvider.System, NullLogger<BlobLeaseLock>.Instance);

        var first = await locks.TryAcquireAsync("job");
        var second = await locks.TryAcquireAsync("job");
        await first!.DisposeAsync();
        await using var third = await locks.TryAcquireAsync("job");

        Assert.Null(second);
        Assert.NotNull(third);
    }

    [Fact]
    public async Task Held_LeaseTakenAway_SignalsLost()
    {
        var container = await ContainerAsync();
        var time = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        var locks = new BlobLeaseLock(container, time, NullLogger<BlobLeaseLock>.Instance);
        await using var held = await locks.TryAcquireAsync("job");

        await container.GetBlobClient("job").GetBlobLeaseClient().BreakAsync(TimeSpan.Zero);
        time.Advance(TimeSpan.FromSeconds(21)); // the next renewal finds the lease gone

        await Task.WhenAny(Task.Delay(Timeout.Infinite, held!.Lost), Task.Delay(TimeSpan.FromSeconds(15)));
        Assert.True(held.Lost.IsCancellationRequested, "the holder was not told its lock was lost");
    }

    private static async Task<BlobContainerClient> ContainerAsync()
    {
        var container = new BlobServiceClient((await AzuriteInstance.Shared).ConnectionString).GetBlobContainerClient(AzuriteInstance.NewPrefix() + "-locks");
        await container.CreateIfNotExistsAsync();
        return container;
    }
}
