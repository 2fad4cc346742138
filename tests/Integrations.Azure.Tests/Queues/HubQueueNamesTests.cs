using Integrations.Azure.Queues;
using Integrations.Core.Common;
using Microsoft.Extensions.Configuration;

namespace Integrations.Azure.Tests.Queues;

public sealed class HubQueueNamesTests
{
    [Fact]
    public void NameOf_SettingAbsent_IsPrefixDashId()
    {
        // Arrange
        var names = new HubQueueNames(new ConfigurationBuilder().Build(), "ih");

        // Act / Assert
        Assert.Equal("ih-key-rotation", names.NameOf(JobQueues.KeyRotation));
    }

    [Fact]
    public void NameOf_SettingPresent_IsTheSettingRegardlessOfPrefix()
    {
        // Arrange: the app setting Jobs__Queues__KeyRotation reaches configuration as Jobs:Queues:KeyRotation.
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Jobs:Queues:KeyRotation"] = "prod-rotations" }).Build();
        var names = new HubQueueNames(configuration, "ih");

        // Act / Assert
        Assert.Equal("prod-rotations", names.NameOf(JobQueues.KeyRotation));
        Assert.Equal("prod-rotations-poison", HubQueueNames.PoisonQueueOf(names.NameOf(JobQueues.KeyRotation)));
    }

    [Theory]
    [InlineData("abc", true)]
    [InlineData("ih-key-rotation", true)]
    [InlineData("0-a-9", true)]
    [InlineData("a2345678901234567890123456789012345678901234567890123456", true)] // 56: "-poison" still fits in 63
    [InlineData("a23456789012345678901234567890123456789012345678901234567", false)]
    [InlineData("ab", false)]
    [InlineData("Key-rotation", false)]
    [InlineData("key--rotation", false)]
    [InlineData("-key", false)]
    [InlineData("key-", false)]
    [InlineData("key_rotation", false)]
    [InlineData("key rotation", false)]
    public void IsValidName_FollowsStorageQueueRulesWithRoomForPoison(string name, bool valid) =>
        Assert.Equal(valid, HubQueueNames.IsValidName(name));
}
