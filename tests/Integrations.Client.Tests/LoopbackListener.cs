using System.Net;
using System.Net.Sockets;

namespace Integrations.Client.Tests;

/// <summary>
/// An <see cref="HttpListener"/> on a free 127.0.0.1 port under <c>path</c>, answering each request with
/// <see cref="HandleAsync"/> until disposed: what the scripted hub and the capturing receiver share.
/// </summary>
public abstract class LoopbackListener : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;

    protected LoopbackListener(string path)
    {
        // HttpListener cannot bind port 0: a free port is probed, and between the probe and the bind another listener of a
        // test running in parallel (or another process) may take it, so a taken port is probed again.
        for (var attempt = 1; ; attempt++)
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            Address = new Uri($"http://127.0.0.1:{port}/{path}");
            _listener.Prefixes.Add(Address.AbsoluteUri);
            try
            {
                _listener.Start();
                break;
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                _listener.Prefixes.Clear();
            }
        }

        _loop = Task.Run(ServeAsync);
    }

    /// <summary>The listener's address (ends with a slash).</summary>
    protected Uri Address { get; }

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

        GC.SuppressFinalize(this);
    }

    /// <summary>Answers one request (and closes its response).</summary>
    protected abstract Task HandleAsync(HttpListenerContext context);

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

            await HandleAsync(context);
        }
    }
}
