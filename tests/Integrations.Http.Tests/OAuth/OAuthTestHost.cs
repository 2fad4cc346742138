using Integrations.Core.OAuth.Protocol;
using Integrations.Http.OAuth;
using Integrations.Http.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Integrations.Http.Tests.OAuth;

/// <summary>
/// <c>AddIntegrationsOAuthProtocol</c> as a host composes it, with loopback allowed through the guard (as the issue's
/// tests do), every log line recorded, and the clock the test chooses (the system clock by default: the real
/// authorization server stamps its tokens with it).
/// </summary>
internal sealed class OAuthTestHost : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private OAuthTestHost(ServiceProvider services, RecordingLoggerProvider logs)
    {
        _services = services;
        Logs = logs;
    }

    public IOAuthProtocol Protocol => _services.GetRequiredService<IOAuthProtocol>();

    public RecordingLoggerProvider Logs { get; }

    /// <summary>Every recorded log line: message and structured values.</summary>
    public string AllLogText => string.Join("\n", Logs.Entries.Select(e => e.Message + " | " + e.Values));

    public static OAuthTestHost Create(TimeProvider? time = null, bool allowLoopback = true, IReadOnlyDictionary<string, string?>? settings = null)
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

        var logs = new RecordingLoggerProvider();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        services.AddSingleton(time ?? TimeProvider.System);
        services.AddIntegrationsOAuthProtocol();
        services.AddIntegrationsOAuthProtocol(); // idempotent
        return new OAuthTestHost(services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true }), logs);
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
