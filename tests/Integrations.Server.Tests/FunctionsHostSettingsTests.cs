using System.Text.Json.Nodes;
using Integrations.Api.Jobs;
using Integrations.Testing;

namespace Integrations.Server.Tests;

/// <summary>The Functions host's own settings agree with what the job tables say (the Server reads the tables directly).</summary>
public sealed class FunctionsHostSettingsTests
{
    [Fact]
    public void HostJson_QueueRetries_MatchEveryQueueJobsRetryPolicy()
    {
        // Arrange: the host.json deployed with the app; the host applies one queue policy to every trigger.
        var queues = FunctionsMetadata.HostJson()["extensions"]?["queues"]?.AsObject();
        Assert.NotNull(queues);

        // Act
        var maxDequeueCount = queues["maxDequeueCount"]?.GetValue<int>();
        var visibilityTimeout = queues["visibilityTimeout"] is JsonNode node ? TimeSpan.Parse(node.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture) : (TimeSpan?)null;

        // Assert: the runner records on attempt MaxAttempts, the attempt after which the host poisons.
        Assert.All(QueueJobs.All, job => Assert.Equal(job.Retry.MaxAttempts, maxDequeueCount));
        Assert.All(QueueJobs.All, job => Assert.Equal(job.Retry.RetryDelay, visibilityTimeout));
    }

    [Fact]
    public void HostJson_QueueBatch_MatchesTheServerWorkersBatch()
    {
        // Arrange: the Server's worker fetches Jobs:QueueBatchSize and the next batch when half are done, as the host does.
        var queues = FunctionsMetadata.HostJson()["extensions"]?["queues"]?.AsObject();
        Assert.NotNull(queues);
        var server = new Integrations.Server.Jobs.ServerJobOptions();

        // Act
        var batchSize = queues["batchSize"]?.GetValue<int>();
        var newBatchThreshold = queues["newBatchThreshold"]?.GetValue<int>();

        // Assert: the same concurrency per instance in either host, so a benchmark of one speaks for the other.
        Assert.Equal(server.QueueBatchSize, batchSize);
        Assert.Equal(server.QueueBatchSize / 2, newBatchThreshold);
    }

    [Fact]
    public void LocalSettingsSample_SetsEveryTriggerSetting()
    {
        // Arrange: app settings spell ':' as '__' (the only hierarchy separator Linux app settings accept).
        var path = Path.Combine(RepositoryRoot.Find(), "local.settings.sample.json");
        var values = JsonNode.Parse(File.ReadAllText(path))!["Values"]!.AsObject();

        // Act
        var settings = ScheduledJobs.All.Select(j => j.ScheduleSetting).Concat(QueueJobs.All.Select(j => j.QueueNameSetting));

        // Assert: `func start` with the sample resolves every %…% binding.
        Assert.All(settings, setting => Assert.False(string.IsNullOrEmpty(values[setting.Replace(":", "__", StringComparison.Ordinal)]?.GetValue<string>()),
            $"local.settings.sample.json should set {setting.Replace(":", "__", StringComparison.Ordinal)}."));
    }
}
