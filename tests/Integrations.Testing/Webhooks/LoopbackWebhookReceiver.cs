using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Integrations.Testing.Webhooks;

/// <summary>
/// A webhook receiver on 127.0.0.1 (Kestrel, a free port) for the outbound delivery tests and the bench: it answers every
/// POST with <see cref="StatusCode"/> (200 unless told otherwise) and records each arrival — the <c>webhook-id</c> (the
/// message id), which attempt of that id it is as seen here, the arrival time, whether the Standard Webhooks signature
/// verifies under <see cref="Secrets"/> (an implementation of its own, not the hub's), the send time the sender put in the
/// payload (<c>"sent_ticks":&lt;Stopwatch ticks&gt;</c>, for latency) and, when <see cref="SenderCandidates"/> is set, which of
/// those processes opened the connection (Linux /proc).
/// </summary>
public sealed class LoopbackWebhookReceiver : IAsyncDisposable
{
    private static readonly byte[] SentTicksProperty = "\"sent_ticks\":"u8.ToArray();
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<WebhookArrival> _arrivals = new();
    private readonly ConcurrentDictionary<string, int> _attempts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int?> _senders = new(StringComparer.Ordinal);
    private readonly List<(int Distinct, TaskCompletionSource Reached)> _waiters = [];
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _firstArrivals = new(StringComparer.Ordinal);
    private int _port;

    private LoopbackWebhookReceiver(WebApplication app)
    {
        _app = app;
    }

    /// <summary>The URL to register as an endpoint: <c>http://127.0.0.1:{port}/hooks</c>.</summary>
    public Uri Url => new($"http://127.0.0.1:{_port.ToString(CultureInfo.InvariantCulture)}/hooks");

    /// <summary>The status every request is answered with. Default 200.</summary>
    public int StatusCode { get; set; } = 200;

    /// <summary>The endpoint's signing secrets (<c>whsec_…</c>); empty: signatures are not checked (<see cref="WebhookArrival.SignatureValid"/> is null).</summary>
    public IReadOnlyList<string> Secrets { get; set; } = [];

    /// <summary>Processes that may be sending (the Server instances' ids); empty: senders are not identified.</summary>
    public IReadOnlyList<int> SenderCandidates { get; set; } = [];

    /// <summary>Every arrival so far, in arrival order.</summary>
    public IReadOnlyList<WebhookArrival> Arrivals => [.. _arrivals];

    /// <summary>Requests received so far (all attempts).</summary>
    public int Count => _arrivals.Count;

    /// <summary>Distinct message ids received so far.</summary>
    public int DistinctCount => _attempts.Count;

    public static async Task<LoopbackWebhookReceiver> StartAsync(CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, 0);
            k.Limits.MaxRequestBodySize = 4 * 1024 * 1024;
        });
        var app = builder.Build();
        var receiver = new LoopbackWebhookReceiver(app);
        app.Run(receiver.ReceiveAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        receiver._port = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single()).Port;
        return receiver;
    }

    /// <summary>Completes when at least <paramref name="distinct"/> message ids have arrived, or throws after <paramref name="timeout"/>.</summary>
    public async Task WaitForDistinctAsync(int distinct, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_waiters)
        {
            _waiters.Add((distinct, reached));
        }

        Release();
        try
        {
            await reached.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{DistinctCount} of {distinct} message ids arrived within {timeout.TotalSeconds:F0} s ({Count} requests in all).");
        }
    }

    /// <summary>Completes when every id of <paramref name="messageIds"/> has arrived at least once, or when <paramref name="timeout"/> passes; returns the ids still missing.</summary>
    public async Task<IReadOnlyList<string>> WaitForAllAsync(IReadOnlyCollection<string> messageIds, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messageIds);
        var until = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            var missing = messageIds.Where(id => !_attempts.ContainsKey(id)).ToList();
            if (missing.Count == 0 || Stopwatch.GetTimestamp() > until)
            {
                return missing;
            }

            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Completes when <paramref name="messageId"/> has arrived at least once (it may have already); throws a <see cref="TimeoutException"/> after <paramref name="timeout"/>.</summary>
    public Task WaitForAsync(string messageId, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        FirstArrivalOf(messageId).Task.WaitAsync(timeout, cancellationToken);

    /// <summary>Forgets every arrival (between the phases of a bench).</summary>
    public void Clear()
    {
        _arrivals.Clear();
        _attempts.Clear();
        _firstArrivals.Clear();
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private async Task ReceiveAsync(HttpContext context)
    {
        var arrived = Stopwatch.GetTimestamp();
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
        var body = buffer.ToArray();
        var id = context.Request.Headers["webhook-id"].ToString();
        var timestamp = context.Request.Headers["webhook-timestamp"].ToString();
        bool? valid = Secrets.Count == 0 ? null : Verifies(id, timestamp, body, context.Request.Headers["webhook-signature"].ToString());
        var sender = SenderCandidates.Count == 0 ? null : SenderOf(context.Connection);
        var attempt = _attempts.AddOrUpdate(id, 1, (_, n) => n + 1);
        _arrivals.Enqueue(new WebhookArrival(id, attempt, timestamp, arrived, SentTicks(body), valid, sender));
        FirstArrivalOf(id).TrySetResult();
        Release();
        context.Response.StatusCode = StatusCode;
    }

    private TaskCompletionSource FirstArrivalOf(string messageId) =>
        _firstArrivals.GetOrAdd(messageId, static _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    private int? SenderOf(ConnectionInfo connection) =>
        // Once per connection: the client's socket is looked up in /proc while the connection is open.
        _senders.GetOrAdd(connection.Id, _ => LinuxProcesses.OwnerOfConnection(connection.RemotePort, connection.LocalPort, SenderCandidates));

    private void Release()
    {
        lock (_waiters)
        {
            foreach (var waiter in _waiters.Where(w => DistinctCount >= w.Distinct).ToList())
            {
                waiter.Reached.TrySetResult();
                _waiters.Remove(waiter);
            }
        }
    }

    /// <summary>
    /// Standard Webhooks: <c>webhook-signature</c> is a space-separated list of <c>v1,base64(HMAC-SHA256(key, "{id}.{timestamp}.{body}"))</c>,
    /// the key being the base64 after <c>whsec_</c>; valid when any entry matches any secret.
    /// </summary>
    private bool Verifies(string id, string timestamp, byte[] body, string header)
    {
        var signed = Encoding.UTF8.GetBytes(id + "." + timestamp + ".").Concat(body).ToArray();
        var offered = header.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Where(s => s.StartsWith("v1,", StringComparison.Ordinal))
            .Select(s => s[3..])
            .ToList();
        foreach (var secret in Secrets)
        {
            var key = Convert.FromBase64String(secret.StartsWith("whsec_", StringComparison.Ordinal) ? secret[6..] : secret);
            var expected = Encoding.ASCII.GetBytes(Convert.ToBase64String(HMACSHA256.HashData(key, signed)));
            if (offered.Any(o => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(o), expected)))
            {
                return true;
            }
        }

        return false;
    }

    private static long? SentTicks(byte[] body)
    {
        var at = body.AsSpan().IndexOf(SentTicksProperty);
        if (at < 0)
        {
            return null;
        }

        var digits = body.AsSpan(at + SentTicksProperty.Length).TrimStart(" "u8);
        var length = 0;
        while (length < digits.Length && length < 19 && char.IsAsciiDigit((char)digits[length]))
        {
            length++;
        }

        return long.TryParse(Encoding.ASCII.GetString(digits[..length]), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) ? ticks : null;
    }
}

/// <summary>One request the <see cref="LoopbackWebhookReceiver"/> received.</summary>
/// <param name="MessageId">The <c>webhook-id</c> header: the message id.</param>
/// <param name="Attempt">1 for the first arrival of this id here, 2 for the second, …</param>
/// <param name="WebhookTimestamp">The <c>webhook-timestamp</c> header.</param>
/// <param name="ArrivedTicks"><see cref="Stopwatch.GetTimestamp"/> when the request arrived.</param>
/// <param name="SentTicks">The payload's <c>sent_ticks</c> (the sender's <see cref="Stopwatch.GetTimestamp"/>), if any.</param>
/// <param name="SignatureValid">Whether the signature verified; null when no secret was set.</param>
/// <param name="SenderProcessId">The process that opened the connection, when senders are identified and it was found.</param>
public sealed record WebhookArrival(string MessageId, int Attempt, string WebhookTimestamp, long ArrivedTicks, long? SentTicks, bool? SignatureValid, int? SenderProcessId);
