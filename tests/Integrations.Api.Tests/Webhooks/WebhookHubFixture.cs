using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Integrations.Core.Counters;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using static Integrations.Api.Tests.HubFixture;

namespace Integrations.Api.Tests.Webhooks;

/// <summary>
/// The Server (every scheme registered) with in-memory counters the test writes, so that the
/// stats route is exercised through HTTP whichever counter store the composition has (the durable one is built apart).
/// </summary>
public sealed class WebhookHubFixture : IAsyncLifetime
{
    public const string StandardSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    public HubFixture Hub { get; } = new() { Port = FreePort() };

    public InMemoryCounters Counters { get; } = new();

    public string PublicBaseUrl => $"http://127.0.0.1:{Hub.Port}";

    public async Task InitializeAsync()
    {
        Hub.Settings["Hub:PublicBaseUrl"] = PublicBaseUrl;
        Hub.ConfigureServices = services =>
        {
            services.RemoveAll<IHubCounters>();
            services.AddSingleton<IHubCounters>(Counters);
        };
        await Hub.InitializeAsync();
    }

    public Task DisposeAsync() => Hub.DisposeAsync();

    public static string Path(Tenant tenant) => $"/v1/projects/{tenant.ProjectId}/webhook-sources";

    public static async Task<JsonNode> CreateStandardAsync(HttpClient client, Tenant tenant, string name = "svix") =>
        await Json(await client.PostAsJsonAsync(Path(tenant), new { name, scheme = "standard", secret = StandardSecret }), HttpStatusCode.Created);

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>Counters in memory, as one instance that never flushes would keep them: by key and name, each with the time it was recorded.</summary>
public sealed class InMemoryCounters : IHubCounters
{
    private readonly ConcurrentQueue<(CounterKey Key, string Name, long Delta, DateTimeOffset At)> _counts = new();
    private readonly ConcurrentDictionary<(CounterKey, string), DateTimeOffset> _latest = new();

    public void Increment(CounterKey key, string name, long delta = 1) => _counts.Enqueue((key, name, delta, TimeProvider.System.GetUtcNow()));

    public void RecordLatest(CounterKey key, string name, DateTimeOffset at) => _latest.AddOrUpdate((key, name), at, (_, old) => old > at ? old : at);

    public Task<CounterTotals> ReadAsync(CounterKey key, DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        var hour = new DateTimeOffset(since.Year, since.Month, since.Day, since.Hour, 0, 0, TimeSpan.Zero);
        var counts = _counts.Where(c => c.Key == key && c.At >= hour).GroupBy(c => c.Name).ToDictionary(g => g.Key, g => g.Sum(c => c.Delta));
        var latest = _latest.Where(l => l.Key.Item1 == key).ToDictionary(l => l.Key.Item2, l => l.Value);
        return Task.FromResult(new CounterTotals(counts, latest));
    }
}
