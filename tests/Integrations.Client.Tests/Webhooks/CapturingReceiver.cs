using System.Net;
using System.Threading.Channels;
using Microsoft.Extensions.Primitives;

namespace Integrations.Client.Tests.Webhooks;

/// <summary>A loopback webhook receiver that keeps each delivery as it arrived: its headers and its raw body bytes.</summary>
public sealed class CapturingReceiver : LoopbackListener
{
    private readonly Channel<(Dictionary<string, StringValues> Headers, byte[] Body)> _deliveries = Channel.CreateUnbounded<(Dictionary<string, StringValues>, byte[])>();

    public CapturingReceiver()
        : base("hooks/")
    {
    }

    public Uri Url => Address;

    /// <summary>The status each delivery is answered with (default 204); a 5xx makes the hub count the attempt failed.</summary>
    public int Status { get; set; } = 204;

    /// <summary>The next delivery, or a timeout.</summary>
    public async Task<(Dictionary<string, StringValues> Headers, byte[] Body)> NextAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        return await _deliveries.Reader.ReadAsync(cancel.Token);
    }

    /// <summary>Whether a delivery arrives within <paramref name="wait"/> (for "nothing more was delivered"); one that does is consumed.</summary>
    public async Task<bool> HasDeliveryWithinAsync(TimeSpan wait)
    {
        using var cancel = new CancellationTokenSource(wait);
        try
        {
            await _deliveries.Reader.ReadAsync(cancel.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    protected override async Task HandleAsync(HttpListenerContext context)
    {
        using var body = new MemoryStream();
        await context.Request.InputStream.CopyToAsync(body);
        var headers = new Dictionary<string, StringValues>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in context.Request.Headers.AllKeys.OfType<string>())
        {
            headers[name] = context.Request.Headers.GetValues(name);
        }

        _deliveries.Writer.TryWrite((headers, body.ToArray()));
        context.Response.StatusCode = Status;
        context.Response.Close();
    }
}
