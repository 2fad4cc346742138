using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Integrations.Api.Tests.Connections;

/// <summary>One request as the upstream received it.</summary>
public sealed record UpstreamRequest(string Method, string Target, IReadOnlyDictionary<string, string> Headers, string Body);

/// <summary>
/// A loopback Kestrel upstream for the proxy tests. What it answers depends on the first path segment below <c>/api</c>
/// (<c>echo</c>, <c>status/{code}</c>, <c>slow</c>, <c>big/{bytes}</c>, <c>deprecated</c>, <c>ratelimit</c>,
/// <c>unauthorized-once/{key}</c>); every request is recorded with its raw target and headers.
/// </summary>
public sealed class ProxyUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, int> _seen = new(StringComparer.Ordinal);

    private ProxyUpstream(WebApplication app) => _app = app;

    public ConcurrentQueue<UpstreamRequest> Requests { get; } = new();

    public Uri BaseUrl { get; private set; } = null!;

    public static async Task<ProxyUpstream> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var upstream = new ProxyUpstream(builder.Build());
        upstream._app.Run(upstream.ServeAsync);
        await upstream._app.StartAsync();
        var address = upstream._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        upstream.BaseUrl = new Uri($"http://127.0.0.1:{new Uri(address).Port}/api");
        return upstream;
    }

    /// <summary>The requests whose raw target contains <paramref name="marker"/>.</summary>
    public IReadOnlyList<UpstreamRequest> With(string marker) => Requests.Where(r => r.Target.Contains(marker, StringComparison.Ordinal)).ToList();

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private async Task ServeAsync(HttpContext context)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()!.RawTarget;
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        Requests.Enqueue(new UpstreamRequest(context.Request.Method, raw,
            context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), body));
        var segments = context.Request.Path.Value!.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var kind = segments.Length > 1 ? segments[1] : "";
        switch (kind)
        {
            case "status":
                context.Response.StatusCode = int.Parse(segments[2], System.Globalization.CultureInfo.InvariantCulture);
                if (context.Response.StatusCode == 429)
                {
                    context.Response.Headers.RetryAfter = "0";
                }

                return;
            case "slow":
                await Task.Delay(TimeSpan.FromSeconds(3), context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                return;
            case "big":
                var total = long.Parse(segments[2], System.Globalization.CultureInfo.InvariantCulture);
                context.Response.ContentType = "application/octet-stream";
                var chunk = new byte[64 * 1024];
                Array.Fill(chunk, (byte)'x');
                for (long sent = 0; sent < total; sent += chunk.Length)
                {
                    await context.Response.Body.WriteAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, total - sent)));
                }

                return;
            case "deprecated":
                context.Response.Headers["Deprecation"] = "@1688169599";
                context.Response.Headers["Sunset"] = "Sun, 30 Jun 2030 23:59:59 GMT";
                return;
            case "ratelimit":
                context.Response.Headers["X-RateLimit-Limit"] = "100";
                context.Response.Headers["X-RateLimit-Remaining"] = "42";
                context.Response.Headers["X-RateLimit-Reset"] = "30";
                return;
            case "unauthorized-once":
                if (_seen.AddOrUpdate(segments[2], 1, (_, n) => n + 1) == 1)
                {
                    context.Response.StatusCode = 401;
                    return;
                }

                break;
            default:
                break;
        }

        context.Response.ContentType = "application/json";
        context.Response.Headers["X-Upstream"] = "yes";
        await context.Response.WriteAsync(JsonSerializer.Serialize(new { method = context.Request.Method, target = raw, body }));
    }
}
