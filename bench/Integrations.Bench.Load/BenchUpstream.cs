using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Integrations.Bench.Load;

/// <summary>
/// The proxy pair's upstream: Kestrel on 127.0.0.1 in this process, answering every request with a fixed 200 JSON
/// body of about 200 bytes and a rate-limit header set (so the hub parses them on every call, as it would for a real API).
/// </summary>
internal sealed class BenchUpstream : IAsyncDisposable
{
    private static readonly byte[] Body = System.Text.Encoding.UTF8.GetBytes(
        """{"id":42,"name":"Widget","price":{"amount":1999,"currency":"EUR"},"tags":["a","b","c"],"updated_at":"2026-11-30T10:00:00Z","owner":{"id":7,"name":"Ada"}}""");

    private readonly WebApplication _app;

    private BenchUpstream(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public static async Task<BenchUpstream> StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.Run(context =>
        {
            context.Response.ContentType = "application/json";
            context.Response.ContentLength = Body.Length;
            context.Response.Headers["X-RateLimit-Limit"] = "5000";
            context.Response.Headers["X-RateLimit-Remaining"] = "4999";
            return context.Response.Body.WriteAsync(Body, context.RequestAborted).AsTask();
        });
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        return new BenchUpstream(app, new Uri($"http://127.0.0.1:{address.Port}/"));
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
