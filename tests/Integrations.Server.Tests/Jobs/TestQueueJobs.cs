using Integrations.Api.Jobs;
using Integrations.Core.Common;
using Microsoft.Extensions.DependencyInjection;

namespace Integrations.Server.Tests.Jobs;

/// <summary>Queue jobs for tests: three attempts, no delay between them, each on a queue of its own.</summary>
internal static class TestQueueJobs
{
    public static QueueRetryPolicy ThreeQuickAttempts { get; } = new(3, TimeSpan.Zero);

    public static QueueJob AlwaysFails { get; } = Job<AlwaysFailsHandler>("AlwaysFails", "always-fails");

    public static QueueJob Succeeds { get; } = Job<SucceedsHandler>("Succeeds", "succeeds");

    public static QueueJob Rejects { get; } = Job<RejectsHandler>("Rejects", "rejects");

    public static QueueJob Overlaps { get; } = Job<OverlapsHandler>("Overlaps", "overlaps");

    /// <summary>Registers the handlers, one instance each, so tests can read what they saw.</summary>
    public static void AddHandlers(IServiceCollection services) =>
        services.AddSingleton<AlwaysFailsHandler>().AddSingleton<SucceedsHandler>().AddSingleton<RejectsHandler>().AddSingleton<OverlapsHandler>();

    private static QueueJob Job<THandler>(string name, string queueId)
        where THandler : IQueueJobHandler =>
        new(name, new JobQueueDefinition(queueId, $"Jobs:Queues:Test{name}"), typeof(THandler), TimeSpan.FromSeconds(30), ThreeQuickAttempts);
}

/// <summary>Counts its calls and fails every one, quoting the message body in the exception (which must not reach the record).</summary>
internal sealed class AlwaysFailsHandler : IQueueJobHandler
{
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    public Task<QueueJobOutcome> RunAsync(QueueJobMessage message, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _calls);
        throw new InvalidOperationException($"Cannot process {message.Body} today.\nsecond line: {message.Body}");
    }
}

internal sealed class SucceedsHandler : IQueueJobHandler
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<QueueJobMessage> _seen = new();

    public IReadOnlyCollection<QueueJobMessage> Seen => _seen;

    public Task<QueueJobOutcome> RunAsync(QueueJobMessage message, CancellationToken cancellationToken = default)
    {
        _seen.Enqueue(message);
        return Task.FromResult(QueueJobOutcome.Completed);
    }
}

internal sealed class RejectsHandler : IQueueJobHandler
{
    public Task<QueueJobOutcome> RunAsync(QueueJobMessage message, CancellationToken cancellationToken = default) =>
        Task.FromResult(QueueJobOutcome.Rejected("The message names nothing that exists."));
}

/// <summary>Holds each message until <see cref="Release"/>, counting how many it holds at once.</summary>
internal sealed class OverlapsHandler : IQueueJobHandler
{
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _running;
    private int _mostAtOnce;
    private int _done;

    public int MostAtOnce => Volatile.Read(ref _mostAtOnce);

    public int Running => Volatile.Read(ref _running);

    public int Done => Volatile.Read(ref _done);

    public void Release() => _release.TrySetResult();

    public async Task<QueueJobOutcome> RunAsync(QueueJobMessage message, CancellationToken cancellationToken = default)
    {
        var now = Interlocked.Increment(ref _running);
        int seen;
        while (now > (seen = Volatile.Read(ref _mostAtOnce)) && Interlocked.CompareExchange(ref _mostAtOnce, now, seen) != seen)
        {
        }

        await _release.Task.WaitAsync(cancellationToken);
        Interlocked.Decrement(ref _running);
        Interlocked.Increment(ref _done);
        return QueueJobOutcome.Completed;
    }
}
