using Azure.Storage.Queues;
using Integrations.Api.Jobs;
using Integrations.Core.Common;
using Integrations.Core.Jobs;
using Integrations.Server.Jobs;
using Integrations.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Integrations.Server.Tests.Jobs;

/// <summary>The Server's services against Azurite with a storage prefix of their own; queue workers started on demand.</summary>
internal sealed class QueueJobHarness : IAsyncDisposable
{
    private readonly List<QueueJobService> _started = [];

    private QueueJobHarness(ServiceProvider provider, string prefix)
    {
        Provider = provider;
        Prefix = prefix;
    }

    public ServiceProvider Provider { get; }

    public string Prefix { get; }

    public static async Task<QueueJobHarness> StartAsync(IDictionary<string, string?>? settings = null, Action<IServiceCollection>? configure = null)
    {
        var azurite = await AzuriteInstance.Shared;
        var prefix = AzuriteInstance.NewPrefix();
        var values = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["Storage"] = azurite.ConnectionString,
            ["Storage:Prefix"] = prefix,
            ["Jobs:QueuePollInterval"] = "00:00:00.050",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var provider = ServerComposition.Build(values, configure);
        await provider.GetRequiredService<IHubStorage>().InitializeAsync();
        return new QueueJobHarness(provider, prefix);
    }

    public string QueueNameOf(QueueJob job) => Provider.GetRequiredService<IJobQueueNames>().NameOf(job.Queue);

    public QueueClient Queue(string name) => Provider.GetRequiredService<QueueServiceClient>().GetQueueClient(name);

    /// <summary>Enqueues as the hub does; a test job's queue (not in JobQueues, so not created at start) is created first.</summary>
    public async Task EnqueueAsync(QueueJob job, string body)
    {
        await Queue(QueueNameOf(job)).CreateIfNotExistsAsync();
        await Provider.GetRequiredService<IJobDispatcher>().EnqueueAsync(job.Queue, body);
    }

    public Task<IReadOnlyList<JobFailure>> FailuresAsync(string queueName) => Provider.GetRequiredService<IJobFailureLog>().ListAsync(queueName);

    /// <summary>Starts a Server worker for <paramref name="job"/>, built as AddIntegrationsServerJobs builds its own.</summary>
    public Task StartWorkerAsync(QueueJob job) => StartAsync(ActivatorUtilities.CreateInstance<QueueJobService>(Provider, job));

    /// <summary>Starts the worker the Server itself registered for <paramref name="job"/>.</summary>
    public Task StartServerWorkerAsync(QueueJob job) =>
        StartAsync(Provider.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<QueueJobService>().Single(s => s.Job == job));

    /// <summary>Polls <paramref name="condition"/> until it holds; fails the test after <paramref name="seconds"/>.</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what, int seconds = 30)
    {
        var deadline = TimeProvider.System.GetUtcNow().AddSeconds(seconds);
        while (!await condition())
        {
            Assert.True(TimeProvider.System.GetUtcNow() < deadline, $"Timed out waiting for {what}.");
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var worker in _started)
        {
            await worker.StopAsync(CancellationToken.None);
            worker.Dispose();
        }

        await Provider.DisposeAsync();
    }

    private async Task StartAsync(QueueJobService worker)
    {
        _started.Add(worker);
        await worker.StartAsync(CancellationToken.None);
    }
}
