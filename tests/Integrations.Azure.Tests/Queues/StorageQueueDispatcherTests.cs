using Azure.Storage.Queues;
using Integrations.Azure.Queues;
using Integrations.Core.Common;
using Integrations.Testing;
using Microsoft.Extensions.Configuration;

namespace Integrations.Azure.Tests.Queues;

public sealed class StorageQueueDispatcherTests
{
    [Theory]
    [InlineData(0.8, 1)]
    [InlineData(1.0, 1)]
    [InlineData(4.2, 5)]
    [InlineData(300, 300)]
    public void WholeSecondsUp_RoundsADelayUpNeverDown(double seconds, double expected)
    {
        Assert.Equal(TimeSpan.FromSeconds(expected), StorageQueueDispatcher.WholeSecondsUp(TimeSpan.FromSeconds(seconds)));
    }

    [Fact]
    public async Task EnqueueAsync_SubSecondDelay_IsNotVisibleAtOnce()
    {
        // Storage counts visibility in whole seconds; truncating 0.8 s would make the message visible immediately.
        var azurite = await AzuriteInstance.Shared;
        var prefix = AzuriteInstance.NewPrefix();
        var service = new QueueServiceClient(azurite.ConnectionString);
        var names = new HubQueueNames(new ConfigurationBuilder().Build(), prefix);
        var queue = service.GetQueueClient(names.NameOf(JobQueues.WebhookDelivery));
        await queue.CreateIfNotExistsAsync();

        await new StorageQueueDispatcher(service, names).EnqueueAsync(JobQueues.WebhookDelivery, "ticket", TimeSpan.FromMilliseconds(800));

        Assert.Null((await queue.ReceiveMessageAsync()).Value);
        await queue.DeleteAsync();
    }
}
