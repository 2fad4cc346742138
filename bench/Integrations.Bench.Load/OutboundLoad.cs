using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Integrations.Testing.Webhooks;

namespace Integrations.Bench.Load;

/// <summary>One outbound phase: messages accepted by the Server(s), then delivered to the loopback receiver.</summary>
/// <param name="AcceptLatenciesMs">Sorted latencies of the accepted POSTs.</param>
/// <param name="DeliveryLatenciesMs">Sorted times from sending a message to its first arrival at the receiver.</param>
/// <param name="ServerCpuMs">CPU ms per delivery of each Server instance, in instance order.</param>
/// <param name="DeliveredBy">Deliveries (requests) each instance sent, in instance order; empty when senders were not identified.</param>
/// <param name="MachineBusyShare">Busy share of all cores from the first accept to the last delivery (1 = every core busy).</param>
internal sealed record OutboundMeasurement(
    int Instances, int Callers, long Accepted, long AcceptErrors, double AcceptSeconds, double[] AcceptLatenciesMs,
    long Delivered, long Missing, double DeliverySeconds, double[] DeliveryLatenciesMs, long Duplicates, long BacklogAtAcceptEnd,
    IReadOnlyList<double> ServerCpuMs, double AzuriteCpuMs, double BenchCpuMs, double OtherCpuMs, IReadOnlyList<long> DeliveredBy, double MachineBusyShare,
    string? FirstError)
{
    public double AcceptedPerSecond => Accepted / AcceptSeconds;

    public double DeliveredPerSecond => DeliverySeconds > 0 ? Delivered / DeliverySeconds : 0;
}

/// <summary>
/// The outbound pair. <c>hub-accept</c> / <c>hub-delivery</c>: N callers POST <c>/v1/projects/{p}/messages</c> (a
/// <see cref="PayloadBytes"/>-byte payload carrying its send time) to the Server instances in turn for the measured time;
/// the receiver on loopback answers 200; the phase ends when every accepted message has arrived. <c>baseline-delivery</c>:
/// with the Azure SDK on the same Azurite, the queue work a delivery cannot avoid — enqueue a ticket carrying the same
/// payload, dequeue it, one status write (a merge of the delivery row's state and its attempt column, as
/// TableOutboundStore.RecordAttemptAsync writes it), delete the queue message.
/// </summary>
internal sealed class OutboundLoad
{
    /// <summary>The payload size of every message.</summary>
    public const int PayloadBytes = 512;

    private const int MaxOperationsPerCaller = 2_000_000;
    private readonly HttpClient _http;
    private readonly AuthenticationHeaderValue _bearer;
    private readonly string _projectId;
    private readonly string _organizationId;
    private readonly string _endpointId;
    private readonly string _partition;
    private readonly TableClient _deliveries;
    private readonly QueueClient _queue;
    private readonly string _padding;
    private long _next;

    public OutboundLoad(HttpClient http, string apiKey, string organizationId, string projectId, string endpointId, TableServiceClient tables, QueueServiceClient queues, string prefix)
    {
        _http = http;
        _bearer = new AuthenticationHeaderValue("Bearer", apiKey);
        _organizationId = organizationId;
        _projectId = projectId;
        _endpointId = endpointId;
        _partition = $"{organizationId}_{projectId}";
        _deliveries = tables.GetTableClient(prefix + "benchdeliveries");
        _queue = queues.GetQueueClient(prefix + "-bench-deliveries");
        _padding = new string('x', PayloadBytes - Payload(long.MaxValue, long.MaxValue, "").Length);
    }

    public Scenario Baseline => new("baseline-delivery", async ct =>
    {
        var n = Interlocked.Increment(ref _next);
        var ticket = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["organization_id"] = _organizationId, ["project_id"] = _projectId, ["message_id"] = "msg_bench" + n.ToString("x16", CultureInfo.InvariantCulture),
            ["endpoint_id"] = _endpointId, ["attempt"] = 1, ["event_type"] = "bench.order", ["message_created_at"] = TimeProvider.System.GetUtcNow(),
            ["payload"] = Payload(n, Stopwatch.GetTimestamp(), _padding),
        });
        await _queue.SendMessageAsync(ticket, ct).ConfigureAwait(false);
        // Another caller may take this one first: any ticket will do, as a worker takes whatever the queue gives.
        QueueMessage? received = null;
        for (var i = 0; i < 200 && received is null; i++)
        {
            received = (await _queue.ReceiveMessageAsync(TimeSpan.FromSeconds(30), ct).ConfigureAwait(false)).Value;
            if (received is null)
            {
                await Task.Delay(5, ct).ConfigureAwait(false);
            }
        }

        if (received is null)
        {
            return false;
        }

        var now = TimeProvider.System.GetUtcNow();
        await _deliveries.UpsertEntityAsync(new TableEntity(_partition, "D:" + received.MessageId + ":" + _endpointId)
        {
            ["State"] = "delivered", ["Attempts"] = 1, ["LastAttemptAt"] = now, ["LastStatus"] = 200, ["UpdatedAt"] = now,
            ["A001"] = """{"number":1,"at":"2026-11-30T15:00:00+00:00","status_code":200,"duration_ms":3,"outcome":"delivered","response_body":"ok"}""",
        }, TableUpdateMode.Merge, ct).ConfigureAwait(false);
        await _queue.DeleteMessageAsync(received.MessageId, received.PopReceipt, ct).ConfigureAwait(false);
        return true;
    });

    /// <summary>
    /// <c>hub-closed-loop</c>: one operation is a message sent to the instances in turn and awaited at the receiver — each
    /// caller has at most one message in the hub at a time, as each baseline caller has one ticket in its queue. So the
    /// delivery queue holds at most as many messages as there are callers in both, which matters on Azurite: its cost per
    /// queue operation grows with the queue's depth (bench/results/2026-12-01-issue10-send-outcomes-counted.md), a property of the
    /// emulator that the open-loop phase's backlog of hundreds charges to the hub alone.
    /// </summary>
    public Scenario HubClosedLoop(IReadOnlyList<(Uri BaseAddress, int ProcessId)> servers, LoopbackWebhookReceiver receiver) => new("hub-closed-loop", async ct =>
    {
        var n = Interlocked.Increment(ref _next);
        var server = servers[(int)(n % servers.Count)];
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server.BaseAddress, $"v1/projects/{_projectId}/messages"))
        {
            Content = new StringContent("""{"event_type":"bench.order","payload":""" + Payload(n, Stopwatch.GetTimestamp(), _padding) + "}", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = _bearer;
        using var response = await _http.SendAsync(request, ct).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            return false;
        }

        using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false));
        await receiver.WaitForAsync(answer.RootElement.GetProperty("id").GetString()!, TimeSpan.FromSeconds(60), ct).ConfigureAwait(false);
        return true;
    });

    /// <summary>Creates the baseline's table and queue (the hub creates its own).</summary>
    public async Task CreateBaselineStorageAsync(CancellationToken cancellationToken)
    {
        await _deliveries.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
        await _queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A warm-up (accepted and drained, not recorded), then the measured phase: <paramref name="callers"/> callers POST
    /// messages to <paramref name="servers"/> in turn for <paramref name="duration"/> or until <paramref name="maxMessages"/>
    /// have been sent, then wait (at most <paramref name="drain"/>)
    /// until every accepted message has arrived.
    /// </summary>
    public async Task<OutboundMeasurement> MeasureAsync(
        IReadOnlyList<(Uri BaseAddress, int ProcessId)> servers, LoopbackWebhookReceiver receiver, int azuritePid, int callers, TimeSpan warmup, TimeSpan duration,
        int maxMessages, TimeSpan drain, CancellationToken cancellationToken)
    {
        if (warmup > TimeSpan.Zero)
        {
            var warm = await AcceptAsync(servers, callers, warmup, Math.Max(maxMessages / 5, callers), cancellationToken).ConfigureAwait(false);
            await receiver.WaitForAllAsync(warm.Ids, drain, cancellationToken).ConfigureAwait(false);
        }

        receiver.Clear();
        var cpuBefore = ReadCpu(servers, azuritePid);
        var started = Stopwatch.GetTimestamp();
        var accepted = await AcceptAsync(servers, callers, duration, maxMessages, cancellationToken).ConfigureAwait(false);
        var acceptSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var ids = accepted.Ids.ToHashSet(StringComparer.Ordinal);
        var arrivedAtAcceptEnd = receiver.Arrivals.Where(a => a.Attempt == 1).Count(a => ids.Contains(a.MessageId));
        var missing = await receiver.WaitForAllAsync(ids, drain, cancellationToken).ConfigureAwait(false);
        var cpuAfter = ReadCpu(servers, azuritePid);

        var arrivals = receiver.Arrivals.Where(a => ids.Contains(a.MessageId)).ToList();
        var first = arrivals.Where(a => a.Attempt == 1).ToList();
        var lastArrival = first.Count > 0 ? first.Max(a => a.ArrivedTicks) : Stopwatch.GetTimestamp();
        var deliverySeconds = (lastArrival - started) / (double)Stopwatch.Frequency;
        var wallSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var per = Math.Max(first.Count, 1);
        var serverCpu = servers.Select((_, i) => (cpuAfter.Servers[i] - cpuBefore.Servers[i]) * 1000 / per).ToList();
        var azurite = (cpuAfter.Azurite - cpuBefore.Azurite) * 1000 / per;
        var bench = (cpuAfter.Bench - cpuBefore.Bench) * 1000 / per;
        var machine = (cpuAfter.Machine - cpuBefore.Machine) * 1000 / per;
        var other = Math.Max(0, machine - serverCpu.Sum() - azurite - bench);
        var deliveredBy = receiver.SenderCandidates.Count == 0
            ? []
            : servers.Select(s => (long)arrivals.Count(a => a.SenderProcessId == s.ProcessId)).ToList();
        var deliveryLatencies = first.Where(a => a.SentTicks is not null).Select(a => (a.ArrivedTicks - a.SentTicks!.Value) * 1000.0 / Stopwatch.Frequency).Order().ToArray();
        return new OutboundMeasurement(servers.Count, callers, ids.Count, accepted.Errors, acceptSeconds, accepted.LatenciesMs, first.Count, missing.Count, deliverySeconds,
            deliveryLatencies, arrivals.Count - first.Count, ids.Count - arrivedAtAcceptEnd, serverCpu, azurite, bench, other, deliveredBy,
            (cpuAfter.Machine - cpuBefore.Machine) / (wallSeconds * Environment.ProcessorCount),
            accepted.FirstError ?? (missing.Count > 0 ? $"{missing.Count} accepted messages did not arrive within {drain.TotalSeconds:F0} s" : null));
    }

    /// <summary>Nearest-rank percentile of sorted values (NaN when empty).</summary>
    public static double Percentile(double[] sorted, double quantile) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(quantile * sorted.Length) - 1, 0, sorted.Length - 1)];

    private async Task<(List<string> Ids, double[] LatenciesMs, long Errors, string? FirstError)> AcceptAsync(
        IReadOnlyList<(Uri BaseAddress, int ProcessId)> servers, int callers, TimeSpan duration, int maxMessages, CancellationToken cancellationToken)
    {
        var end = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var started = 0;
        var ids = new ConcurrentBag<string>();
        var latencies = new ConcurrentBag<double>();
        long errors = 0;
        string? firstError = null;
        await Task.WhenAll(Enumerable.Range(0, callers).Select(caller => Task.Run(async () =>
        {
            // Bounded in time and in messages: what is accepted must also be delivered before the phase ends.
            for (var i = 0; i < MaxOperationsPerCaller && Stopwatch.GetTimestamp() < end && Interlocked.Increment(ref started) <= maxMessages; i++)
            {
                var n = Interlocked.Increment(ref _next);
                var server = servers[(int)(n % servers.Count)];
                var sent = Stopwatch.GetTimestamp();
                try
                {
                    using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server.BaseAddress, $"v1/projects/{_projectId}/messages"))
                    {
                        Content = new StringContent("""{"event_type":"bench.order","payload":""" + Payload(n, sent, _padding) + "}", Encoding.UTF8, "application/json"),
                    };
                    request.Headers.Authorization = _bearer;
                    using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
                    var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                    if (response.StatusCode == HttpStatusCode.Accepted)
                    {
                        using var answer = JsonDocument.Parse(body);
                        ids.Add(answer.RootElement.GetProperty("id").GetString()!);
                        latencies.Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
                        continue;
                    }

                    Interlocked.CompareExchange(ref firstError, $"POST messages answered {(int)response.StatusCode}: {body[..Math.Min(body.Length, 300)]}", null);
                }
                catch (Exception ex) when (ex is HttpRequestException or JsonException or KeyNotFoundException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
                {
                    Interlocked.CompareExchange(ref firstError, ex.GetType().Name + ": " + ex.Message, null);
                }

                Interlocked.Increment(ref errors);
            }
        }, cancellationToken))).ConfigureAwait(false);
        return ([.. ids], [.. latencies.Order()], errors, firstError);
    }

    private static (double[] Servers, double Azurite, double Bench, double Machine) ReadCpu(IReadOnlyList<(Uri BaseAddress, int ProcessId)> servers, int azuritePid) =>
        ([.. servers.Select(s => ProcessTree.CpuSeconds(s.ProcessId))], ProcessTree.CpuSeconds(azuritePid), ProcessTree.CpuSeconds(Environment.ProcessId), ProcessTree.MachineBusySeconds());

    // {"order":{"number":n,"padding":"…"},"sent_ticks":t}: numbers right-aligned in 19 characters (JSON allows the
    // spaces, not leading zeros), so every payload has PayloadBytes bytes. The receiver reads sent_ticks (this process's
    // Stopwatch) to time send → arrival.
    private static string Payload(long n, long sentTicks, string padding) =>
        """{"order":{"number":""" + Fixed(n) + ""","padding":""" + "\"" + padding + "\"" + """},"sent_ticks":""" + Fixed(sentTicks) + "}";

    private static string Fixed(long value) => value.ToString(CultureInfo.InvariantCulture).PadLeft(19);
}
