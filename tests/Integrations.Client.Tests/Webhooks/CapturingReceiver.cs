using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Microsoft.Extensions.Primitives;

namespace Integrations.Client.Tests.Webhooks;

/// <summary>A loopback webhook receiver that keeps each delivery as it arrived: its headers and its raw body bytes.</summary>
public sealed class CapturingReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Channel<(Dictionary<string, StringValues> Headers, byte[] Body)> _deliveries = Channel.CreateUnbounded<(Dictionary<string, StringValues>, byte[])>();
    private readonly Task _loop;

    public CapturingReceiver()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        Url = new Uri($"http://127.0.0.1:{port}/hooks/");
        _listener.Prefixes.Add(Url.AbsoluteUri);
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public Uri Url { get; }

    /// <summary>The next delivery, or a timeout.</summary>
    public async Task<(Dictionary<string, StringValues> Headers, byte[] Body)> NextAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        return await _deliveries.Reader.ReadAsync(cancel.Token);
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
            // Stopped under a pending GetContextAsync.
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

            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            var headers = new Dictionary<string, StringValues>(StringComparer.OrdinalIgnoreCase);
            foreach (var name in context.Request.Headers.AllKeys.OfType<string>())
            {
                headers[name] = context.Request.Headers.GetValues(name);
            }

            _deliveries.Writer.TryWrite((headers, body.ToArray()));
            context.Response.StatusCode = 204;
            context.Response.Close();
        }
    }
}
