using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Integrations.Api.Tests.Sends;

/// <summary>One request as the receiver got it.</summary>
public sealed record ReceivedRequest(string Method, string Target, IReadOnlyDictionary<string, string> Headers, string Body);

/// <summary>
/// A loopback Kestrel receiver for the send tests. By the first path segment: <c>ok/…</c> answers 200 with a JSON body,
/// <c>fail-once/{key}</c> 500 the first time a key is seen and 200 after, <c>status/{code}/…</c> that code, <c>big/…</c> 200
/// with 10 000 bytes. Every request is recorded with its raw target, headers and body.
/// </summary>
public sealed class SendReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, int> _seen = new(StringComparer.Ordinal);

    private SendReceiver(WebApplication app) => _app = app;

    public ConcurrentQueue<ReceivedRequest> Requests { get; } = new();

    public Uri BaseUrl { get; private set; } = null!;

    public static async Task<SendReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var receiver = new SendReceiver(builder.Build());
        receiver._app.Run(receiver.ServeAsync);
        await receiver._app.StartAsync();
        var address = receiver._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        receiver.BaseUrl = new Uri($"http://127.0.0.1:{new Uri(address).Port}/");
        return receiver;
    }

    public string Url(string path) => new Uri(BaseUrl, path).AbsoluteUri;

    /// <summary>The requests whose raw target contains <paramref name="marker"/>.</summary>
    public IReadOnlyList<ReceivedRequest> With(string marker) => Requests.Where(r => r.Target.Contains(marker, StringComparison.Ordinal)).ToList();

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private async Task ServeAsync(HttpContext context)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()!.RawTarget;
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        Requests.Enqueue(new ReceivedRequest(context.Request.Method, raw,
            context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), body));
        var segments = context.Request.Path.Value!.Split('/', StringSplitOptions.RemoveEmptyEntries);
        switch (segments.FirstOrDefault())
        {
            case "fail-once" when _seen.AddOrUpdate(segments[1], 1, (_, n) => n + 1) == 1:
                context.Response.StatusCode = 500;
                await context.Response.WriteAsync("boom");
                return;
            case "status":
                context.Response.StatusCode = int.Parse(segments[1], System.Globalization.CultureInfo.InvariantCulture);
                await context.Response.WriteAsync("status " + segments[1]);
                return;
            case "big":
                await context.Response.WriteAsync(new string('x', 10_000));
                return;
            default:
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync("{\"received\":true}");
                return;
        }
    }
}
