using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Integrations.Api.Tests.OutboundWebhooks;

/// <summary>One delivery as the receiver got it, with when (monotonic) it arrived.</summary>
public sealed record ReceivedDelivery(string Path, IReadOnlyDictionary<string, string> Headers, string Body, TimeSpan ArrivedAt);

/// <summary>
/// A webhook receiver on a loopback Kestrel: each path (<c>/{name}</c>) answers as its script says for the n-th request to it
/// (1-based), and every request is recorded.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, Func<HttpContext, int, Task>> _scripts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    private WebhookReceiver(WebApplication app) => _app = app;

    public ConcurrentQueue<ReceivedDelivery> Received { get; } = new();

    public int Port { get; private set; }

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var receiver = new WebhookReceiver(builder.Build());
        receiver._app.Run(receiver.ServeAsync);
        await receiver._app.StartAsync();
        var address = receiver._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        receiver.Port = new Uri(address).Port;
        return receiver;
    }

    /// <summary>A new path answering with <paramref name="script"/>; its URL.</summary>
    public string Path(Func<HttpContext, int, Task> script)
    {
        var name = "/hook-" + Integrations.Testing.TestRandom.Hex(6);
        _scripts[name] = script;
        return $"http://127.0.0.1:{Port}{name}";
    }

    /// <summary>A new path answering these statuses in turn (the last one from then on).</summary>
    public string Statuses(params int[] statuses) => Path((context, n) =>
    {
        context.Response.StatusCode = statuses[Math.Min(n, statuses.Length) - 1];
        return context.Response.WriteAsync("answer " + n);
    });

    public IReadOnlyList<ReceivedDelivery> At(string url) => Received.Where(r => r.Path == new Uri(url).AbsolutePath).ToList();

    public async Task<IReadOnlyList<ReceivedDelivery>> WaitForAsync(string url, int count, TimeSpan? timeout = null)
    {
        var deadline = Stopwatch.StartNew();
        while (At(url).Count < count)
        {
            Assert.True(deadline.Elapsed < (timeout ?? TimeSpan.FromSeconds(30)), $"Expected {count} deliveries at {url}, got {At(url).Count}.");
            await Task.Delay(50);
        }

        return At(url);
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private async Task ServeAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        var path = context.Request.Path.Value ?? "/";
        Received.Enqueue(new ReceivedDelivery(path, context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), body, _clock.Elapsed));
        var n = _counts.AddOrUpdate(path, 1, (_, c) => c + 1);
        if (_scripts.TryGetValue(path, out var script))
        {
            await script(context, n);
        }
        else
        {
            context.Response.StatusCode = 404;
        }
    }
}
