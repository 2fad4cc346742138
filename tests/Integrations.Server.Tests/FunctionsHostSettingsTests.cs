using System.Text.Json.Nodes;
using Integrations.Api.Jobs;
using Integrations.Core.OutboundWebhooks;
using Integrations.Core.Webhooks;
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
    public void HostJson_HttpRoutePrefix_IsEmpty()
    {
        // Arrange: the route table's templates start at v1/…; the host would otherwise put api/ in front of every one.
        var http = FunctionsMetadata.HostJson()["extensions"]?["http"]?.AsObject();

        // Act
        var prefix = http?["routePrefix"]?.GetValue<string>();

        // Assert
        Assert.Equal(string.Empty, prefix);
    }

    [Fact]
    public void HostJson_QueueRetries_RetryAThrownDeliveryBeforeItsNextScheduledAttemptIsDue()
    {
        // Arrange: a delivery whose job throws (storage down) is retried by the host every visibilityTimeout, and poisoned
        // (then drained into a failed delivery) after maxDequeueCount tries; a delivery that failed at the receiver waits its
        // schedule's delay in the queue instead. The default schedule's first real wait after the quick retry is 5 minutes.
        var queues = FunctionsMetadata.HostJson()["extensions"]!["queues"]!.AsObject();
        var visibility = TimeSpan.Parse(queues["visibilityTimeout"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        var tries = queues["maxDequeueCount"]!.GetValue<int>();
        Assert.True(RetrySchedule.TryParse(WebhookOptions.DefaultRetrySchedule, out var schedule, out var error), error);

        // Act: how long the host keeps retrying one thrown attempt, and the schedule's longer waits.
        var hostRetrySpan = visibility * (tries - 1);
        var firstLongWait = schedule.Delays.Where(d => d >= TimeSpan.FromMinutes(1)).Min();

        // Assert: a storage blip costs less than the schedule's own next wait, and the host never retries faster than
        // the schedule's quick retry (hammering a store that is down).
        Assert.True(hostRetrySpan < firstLongWait, $"The host retries a thrown delivery for {hostRetrySpan}; the schedule's next long wait is {firstLongWait}.");
        Assert.True(visibility >= schedule.Delays.Where(d => d > TimeSpan.Zero).Min(), $"visibilityTimeout {visibility} is shorter than the schedule's quickest retry.");
    }

    [Fact]
    public void HostJson_FunctionTimeout_OutlastsEveryQueueJobsVisibilityTimeout()
    {
        // Arrange: a job the Server would keep hidden for VisibilityTimeout (renewed while it runs) must not be cut off sooner by the host.
        var timeout = TimeSpan.Parse(FunctionsMetadata.HostJson()["functionTimeout"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);

        // Act
        var longest = QueueJobs.All.Max(j => j.VisibilityTimeout);

        // Assert
        Assert.True(timeout >= longest, $"functionTimeout {timeout} is shorter than a queue job's visibility timeout {longest}.");
    }

    [Fact]
    public void HostJson_Telemetry_IsOpenTelemetryAndNeverSamplesAwayRequestsOrExceptions()
    {
        // Arrange: the host joins the worker's OpenTelemetry traces only in OpenTelemetry mode; its own Application Insights
        // sampling (classic mode) must keep every request — failed ones among them — and every exception.
        var host = FunctionsMetadata.HostJson();
        var sampling = host["logging"]?["applicationInsights"]?["samplingSettings"]?.AsObject();

        // Act
        var mode = host["telemetryMode"]?.GetValue<string>();
        var excluded = (sampling?["excludedTypes"]?.GetValue<string>() ?? string.Empty).Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var enabled = sampling?["isEnabled"]?.GetValue<bool>() ?? true;

        // Assert
        Assert.Equal("OpenTelemetry", mode);
        Assert.True(!enabled || (excluded.Contains("Request") && excluded.Contains("Exception")),
            "Sampling is on and drops requests or exceptions: add Request;Exception to excludedTypes.");
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
