using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Integrations.Client.Tests;

/// <summary>
/// A loopback HTTP server answering from a script, for the one thing the real hub cannot be made to do on demand: a 503
/// with <c>Retry-After</c>, or a 429 that clears a second later. Counts the requests it gets.
/// </summary>
public sealed class ScriptedHub : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<(int Status, string? RetryAfter)> _script = new();
    private readonly Task _loop;
    private int _requests;

    public ScriptedHub()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
        _listener.Prefixes.Add(BaseAddress.AbsoluteUri);
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public Uri BaseAddress { get; }

    public int Requests => Volatile.Read(ref _requests);

    /// <summary>The next answers, in order; once the script is spent every answer is 200 with an empty list.</summary>
    public ScriptedHub Then(int status, string? retryAfter = null)
    {
        _script.Enqueue((status, retryAfter));
        return this;
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The listener was stopped under a pending GetContextAsync.
        }
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            Interlocked.Increment(ref _requests);
            var (status, retryAfter) = _script.TryDequeue(out var next) ? next : (200, null);
            context.Response.StatusCode = status;
            if (retryAfter is not null)
            {
                context.Response.Headers["Retry-After"] = retryAfter;
            }

            var body = status == 200
                ? """{"data":[],"pagination":{"page":1,"per_page":20,"total":0,"total_pages":0}}"""
                : $$"""{"type":"urn:integrations-hub:problem:scripted","title":"Scripted","status":{{status}},"code":"scripted","traceId":"00-scripted-00"}""";
            context.Response.ContentType = status == 200 ? "application/json" : "application/problem+json";
            var bytes = Encoding.UTF8.GetBytes(body);
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }
}
