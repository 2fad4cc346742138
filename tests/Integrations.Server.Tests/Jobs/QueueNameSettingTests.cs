using Integrations.Api.Jobs;
using Integrations.Azure.Queues;
using Integrations.Core.Common;
using Integrations.Core.Jobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Integrations.Server.Tests.Jobs;

/// <summary>A job queue's name comes from one setting, used by the enqueue side and the worker alike.</summary>
public sealed class QueueNameSettingTests
{
    [Fact]
    public async Task KeyRotationQueue_NameSettingSet_EnqueueSideAndServerWorkerUseIt()
    {
        // Arrange
        var prefix = Integrations.Testing.AzuriteInstance.NewPrefix();
        var custom = prefix + "-rotations-here";
        await using var hub = await QueueJobHarness.StartAsync(new Dictionary<string, string?> { ["Jobs:Queues:KeyRotation"] = custom });

        // Act: what POST /v1/admin/keys/rotate does, then the Server's own key-rotation worker.
        await hub.Provider.GetRequiredService<IJobDispatcher>().EnqueueAsync(JobQueues.KeyRotation, Ids.New("rot"));
        await hub.StartServerWorkerAsync(QueueJobs.KeyRotation);
        await QueueJobHarness.EventuallyAsync(async () => (await hub.FailuresAsync(custom)).Count > 0, "the worker to reject the unknown rotation");

        // Assert: the message went through the configured queue; the default one was never created.
        Assert.Equal(custom, hub.QueueNameOf(QueueJobs.KeyRotation));
        Assert.Equal(JobFailureKind.Rejected, Assert.Single(await hub.FailuresAsync(custom)).Kind);
        Assert.False(await hub.Queue(hub.Prefix + "-key-rotation").ExistsAsync());
    }

    [Fact]
    public async Task KeyRotationQueue_NoNameSetting_IsNamedFromStoragePrefix()
    {
        // Arrange
        await using var hub = await QueueJobHarness.StartAsync();
        var rotationId = Ids.New("rot");

        // Act
        await hub.Provider.GetRequiredService<IJobDispatcher>().EnqueueAsync(JobQueues.KeyRotation, rotationId);

        // Assert
        var queue = hub.Queue(hub.Prefix + "-key-rotation");
        Assert.Equal(queue.Name, hub.QueueNameOf(QueueJobs.KeyRotation));
        Assert.Equal(rotationId, (await queue.PeekMessageAsync()).Value.Body.ToString());
    }

    [Theory]
    [InlineData("Key-Rotation")]
    [InlineData("key--rotation")]
    [InlineData("-key-rotation")]
    [InlineData("ab")]
    [InlineData("key_rotation")]
    [InlineData("a23456789012345678901234567890123456789012345678901234567")] // 57: no room for "-poison"
    public void Start_NameSettingNotAQueueName_FailsNamingTheSetting(string name)
    {
        // Arrange
        using var provider = ServerComposition.Build(new Dictionary<string, string?> { ["Jobs:Queues:KeyRotation"] = name });

        // Act
        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<JobQueueOptions>>().Value);

        // Assert
        Assert.Contains("Jobs:Queues:KeyRotation must be a Storage Queue name", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Start_FunctionsWithoutNameSetting_FailsNamingTheAppSetting()
    {
        // Arrange: Functions' composition requires the settings its triggers bind.
        using var provider = ServerComposition.Build(configure: s => s.Configure<JobQueueOptions>(o => o.NameSettingsRequired = true));

        // Act
        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<JobQueueOptions>>().Value);

        // Assert
        Assert.Contains("Set Jobs:Queues:KeyRotation (app setting Jobs__Queues__KeyRotation)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Start_FunctionsWithNameSetting_Starts()
    {
        // Arrange
        using var provider = ServerComposition.Build(
            new Dictionary<string, string?> { ["Jobs:Queues:KeyRotation"] = "prod-key-rotation", ["Jobs:Queues:DevicePolling"] = "prod-device-polling",
                ["Jobs:Queues:WebhookDelivery"] = "prod-webhook-delivery", ["Jobs:Queues:OutboundSend"] = "prod-outbound-send" },
            s => s.Configure<JobQueueOptions>(o => o.NameSettingsRequired = true));

        // Act
        var options = provider.GetRequiredService<IOptions<JobQueueOptions>>().Value;

        // Assert
        Assert.True(options.NameSettingsRequired);
        Assert.Equal("prod-key-rotation", provider.GetRequiredService<IJobQueueNames>().NameOf(JobQueues.KeyRotation));
        Assert.Equal("prod-device-polling", provider.GetRequiredService<IJobQueueNames>().NameOf(JobQueues.DevicePolling));
        Assert.Equal("prod-outbound-send", provider.GetRequiredService<IJobQueueNames>().NameOf(JobQueues.OutboundSend));
    }
}
