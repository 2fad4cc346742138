using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Integrations.Http.Tests.Support;

/// <summary>
/// A Kestrel server on 127.0.0.1 and a free port, answering with the test's handler. It counts TCP connections (in a
/// connection middleware, before any HTTP parsing) and requests, so a test can assert that a refused call sent nothing.
/// </summary>
internal sealed class LoopbackServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _connections;
    private int _requests;
    private int _port;

    private LoopbackServer(Func<HttpContext, int, Task> handler)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Use(next => connection =>
        {
            Interlocked.Increment(ref _connections);
            return next(connection);
        })));
        _app = builder.Build();
        _app.Run(context => handler(context, Interlocked.Increment(ref _requests)));
    }

    /// <summary>TCP connections accepted so far.</summary>
    public int Connections => Volatile.Read(ref _connections);

    /// <summary>HTTP requests received so far.</summary>
    public int Requests => Volatile.Read(ref _requests);

    public int Port => _port;

    /// <summary>http://127.0.0.1:{port}{path}.</summary>
    public Uri Url(string path = "/") => new($"http://127.0.0.1:{_port}{path}");

    /// <summary>Starts a server whose handler gets each request with its 1-based number.</summary>
    public static async Task<LoopbackServer> StartAsync(Func<HttpContext, int, Task> handler)
    {
        var server = new LoopbackServer(handler);
        await server._app.StartAsync();
        var address = server._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        server._port = new Uri(address).Port;
        return server;
    }

    /// <summary>A server that answers every request with <paramref name="status"/> and an optional header.</summary>
    public static Task<LoopbackServer> StatusAsync(int status, string? header = null, string? value = null) =>
        StartAsync((context, _) =>
        {
            context.Response.StatusCode = status;
            if (header is not null)
            {
                context.Response.Headers[header] = value;
            }

            return Task.CompletedTask;
        });

    /// <summary>Waits (in real time, at most 10 s) until the server has received <paramref name="count"/> requests.</summary>
    public async Task WaitForRequestsAsync(int count)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (Requests < count)
        {
            await Task.Delay(5, timeout.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
