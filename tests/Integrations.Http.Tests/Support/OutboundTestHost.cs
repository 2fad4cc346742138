using Integrations.Http.Client;
using Integrations.Http.Guard;
using Integrations.Http.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Integrations.Http.Tests.Support;

/// <summary>The adapter as a host composes it: configuration, logging, <c>AddIntegrationsHttp</c>, with fakes where given.</summary>
internal sealed class OutboundTestHost : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private OutboundTestHost(ServiceProvider services, AutoAdvancingTimeProvider time, RecordingLoggerProvider logs)
    {
        _services = services;
        Time = time;
        Logs = logs;
    }

    public AutoAdvancingTimeProvider Time { get; }

    public RecordingLoggerProvider Logs { get; }

    public OutboundHttpClient Client => _services.GetRequiredService<OutboundHttpClient>();

    public IServiceProvider Services => _services;

    /// <summary>
    /// A host whose <c>OutboundHttp</c> settings are <paramref name="settings"/> (keys without the section prefix).
    /// <paramref name="allowLoopback"/> lists 127.0.0.0/8 as the tests do; without it the guard has no exception.
    /// </summary>
    public static OutboundTestHost Create(bool allowLoopback = true, IReadOnlyDictionary<string, string?>? settings = null, IHostResolver? resolver = null)
    {
        var values = new Dictionary<string, string?>();
        if (allowLoopback)
        {
            values["OutboundHttp:AllowedNetworks:0"] = "127.0.0.0/8";
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values["OutboundHttp:" + key] = value;
        }

        var time = new AutoAdvancingTimeProvider();
        var logs = new RecordingLoggerProvider();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        services.AddSingleton<TimeProvider>(time);
        if (resolver is not null)
        {
            services.AddSingleton(resolver);
        }

        services.AddIntegrationsHttp();
        return new OutboundTestHost(services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true }), time, logs);
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
