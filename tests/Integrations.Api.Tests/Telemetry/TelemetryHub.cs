using System.Collections;
using System.Diagnostics;
using Integrations.Api.Tests.Connections;
using Integrations.Api.Tests.OutboundWebhooks;
using Integrations.Core.Webhooks;
using Integrations.Testing.OAuth;
using Integrations.Testing.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Integrations.Api.Tests.Telemetry;

/// <summary>
/// The real Server (Development: http provider endpoints) with everything a request of each kind needs — a loopback upstream
/// for the proxy, a loopback OAuth server (OpenIddict) for token refreshes, a loopback receiver for deliveries, the test
/// webhook scheme — and in-memory exporters behind the hub's own telemetry pipeline: what they hold is what Azure Monitor
/// or the console would have been handed.
/// </summary>
public sealed class TelemetryHub : DeliveryHub
{
    public LockedCollection<System.Diagnostics.Activity> Spans { get; } = new();

    public LockedCollection<MetricSnapshot> Metrics { get; } = new();

    public LockedCollection<LogSnapshot> Logs { get; } = new();

    public OpenIddictTestServer Idp { get; private set; } = null!;

    public ProxyUpstream Upstream { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        Idp = await OpenIddictTestServer.StartAsync();
        Upstream = await ProxyUpstream.StartAsync();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Upstream.DisposeAsync();
        await Idp.DisposeAsync();
    }

    protected override void Configure(HubFixture hub)
    {
        hub.Environment = "Development";
        // Information and up reach the log exporter, as in production (appsettings.json).
        hub.Settings["Logging:LogLevel:Default"] = "Information";
        hub.ConfigureServices = services =>
        {
            services.AddSingleton<IWebhookScheme, TestWebhookScheme>();
            services.ConfigureOpenTelemetryTracerProvider(b => b.AddInMemoryExporter(Spans));
            services.ConfigureOpenTelemetryMeterProvider(b => b.AddInMemoryExporter(Metrics));
            services.ConfigureOpenTelemetryLoggerProvider(b => b.AddProcessor(new LogCapture(Logs)));
        };
    }

    /// <summary>Exports every metric's current (cumulative) values now; the latest snapshot of each metric.</summary>
    public IReadOnlyList<MetricSnapshot> CollectMetrics()
    {
        Metrics.Clear();
        Assert.True(Service<MeterProvider>().ForceFlush(10_000), "The meter provider did not flush.");
        return Metrics.Snapshot();
    }

    /// <summary>Spans ended so far, waiting briefly for those that end after the response (the server span ends after the body).</summary>
    public async Task<IReadOnlyList<System.Diagnostics.Activity>> SpansWhereAsync(Func<System.Diagnostics.Activity, bool> condition)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var found = Spans.Snapshot().Where(condition).ToList();
            if (found.Count > 0 || clock.Elapsed > TimeSpan.FromSeconds(10))
            {
                return found;
            }

            await Task.Delay(50);
        }
    }

    /// <summary>A log record as the exporter saw it, copied at once (the SDK reuses its records).</summary>
    public sealed record LogSnapshot(string? Category, string? Message, string? Body, IReadOnlyList<KeyValuePair<string, string?>> Attributes);

    private sealed class LogCapture(LockedCollection<LogSnapshot> logs) : BaseProcessor<LogRecord>
    {
        public override void OnEnd(LogRecord data) => logs.Add(new LogSnapshot(data.CategoryName, data.FormattedMessage, data.Body,
            [.. (data.Attributes ?? []).Select(a => KeyValuePair.Create(a.Key, a.Value?.ToString()))]));
    }

    /// <summary>A list the exporters add to from any thread while a test reads it.</summary>
    public sealed class LockedCollection<T> : ICollection<T>
    {
        private readonly List<T> _items = [];

        public int Count
        {
            get
            {
                lock (_items)
                {
                    return _items.Count;
                }
            }
        }

        public bool IsReadOnly => false;

        public void Add(T item)
        {
            lock (_items)
            {
                _items.Add(item);
            }
        }

        public void Clear()
        {
            lock (_items)
            {
                _items.Clear();
            }
        }

        public bool Contains(T item)
        {
            lock (_items)
            {
                return _items.Contains(item);
            }
        }

        public void CopyTo(T[] array, int arrayIndex)
        {
            lock (_items)
            {
                _items.CopyTo(array, arrayIndex);
            }
        }

        public bool Remove(T item)
        {
            lock (_items)
            {
                return _items.Remove(item);
            }
        }

        public List<T> Snapshot()
        {
            lock (_items)
            {
                return [.. _items];
            }
        }

        public IEnumerator<T> GetEnumerator() => Snapshot().GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
