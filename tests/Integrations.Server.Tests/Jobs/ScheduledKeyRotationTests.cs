using Integrations.Api.Jobs;
using Integrations.Core.Audit;
using Integrations.Core.Common;
using Integrations.Core.Crypto;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Integrations.Server.Tests.Jobs;

/// <summary>KeyWrapping:RotationSchedule starts the online KEK rotation from a timer: when due, once, audited; off by default.</summary>
public sealed class ScheduledKeyRotationTests
{
    private const string Quarterly = "0 0 3 1 1,4,7,10 *";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task RunAsync_QuarterlySchedule_StartsOneRotationOnceTheOccurrenceHasPassed()
    {
        // Arrange: the first KEK becomes active on 30 November.
        await using var hub = await StartAsync(Quarterly);
        var job = hub.Provider.GetRequiredService<ScheduledKeyRotationJob>();
        await hub.Provider.GetRequiredService<KeyRing>().InitializeAsync();

        // Act
        var beforeDue = await job.RunAsync();
        _time.SetUtcNow(new DateTimeOffset(2027, 1, 1, 3, 0, 1, TimeSpan.Zero));
        var due = await job.RunAsync();
        var again = await job.RunAsync();

        // Assert: nothing in November; on 1 January one rotation, queued for the rotation worker; not a second one.
        Assert.Null(beforeDue);
        Assert.NotNull(due);
        Assert.Null(again);
        var message = Assert.Single((await hub.Queue(hub.QueueNameOf(QueueJobs.KeyRotation)).ReceiveMessagesAsync(10)).Value);
        Assert.Equal(due.Id, message.Body.ToString());
        var audit = (await hub.Provider.GetRequiredService<IAuditStore>()
            .QueryAsync(AuditPartition.Platform, DateTimeOffset.UnixEpoch, DateTimeOffset.MaxValue.AddDays(-1), new PageRequest(1, 100))).Items
            .Where(r => r.Action == AuditActions.KeyRotationStart).ToList();
        // (The fake clock stands still, so both records share a time: compare them by outcome, not by order.)
        Assert.Equal([AuditOutcomes.Attempt, AuditOutcomes.Success], audit.Select(r => r.Outcome).Order(StringComparer.Ordinal));
        Assert.All(audit, r => Assert.Equal(ScheduledKeyRotationJob.Actor, r.ActorId));
        Assert.Equal($"rotation/{due.Id}", Assert.Single(audit, r => r.Outcome == AuditOutcomes.Success).Target);
    }

    [Fact]
    public async Task RunAsync_NoSchedule_NeverRotates()
    {
        // Arrange
        await using var hub = await StartAsync(schedule: null);
        await hub.Provider.GetRequiredService<KeyRing>().InitializeAsync();
        _time.Advance(TimeSpan.FromDays(800));

        // Act
        var started = await hub.Provider.GetRequiredService<ScheduledKeyRotationJob>().RunAsync();

        // Assert
        Assert.Null(started);
        Assert.Empty((await hub.Queue(hub.QueueNameOf(QueueJobs.KeyRotation)).PeekMessagesAsync(10)).Value);
    }

    [Fact]
    public void Options_MalformedSchedule_StopTheStartNamingTheSetting()
    {
        using var provider = ServerComposition.Build(new Dictionary<string, string?> { ["KeyWrapping:RotationSchedule"] = "quarterly" });

        var error = Assert.ThrowsAny<Exception>(() => provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<KeyWrappingOptions>>().Value);

        Assert.Contains("KeyWrapping:RotationSchedule", error.Message, StringComparison.Ordinal);
    }

    private Task<QueueJobHarness> StartAsync(string? schedule) =>
        QueueJobHarness.StartAsync(
            new Dictionary<string, string?>
            {
                ["KeyWrapping:RotationSchedule"] = schedule,
                ["KeyWrapping:RootKey"] = Integrations.Testing.HubTestSettings.NewRootKey(),
                ["Audit:SealDelay"] = "00:00:00",
            },
            services => services.AddSingleton<TimeProvider>(_time));
}
