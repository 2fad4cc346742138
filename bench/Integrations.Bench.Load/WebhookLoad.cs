using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Azure.Storage.Queues;

namespace Integrations.Bench.Load;

/// <summary>
/// Issue 9's ingress pair. <c>hub-webhook</c>: a 2 KiB Stripe-style event (a new <c>evt_…</c> id each time, so every
/// delivery is a first one) signed as Stripe signs (<c>Stripe-Signature: t={unix},v1=hex(HMAC-SHA256(secret, "{t}.{body}"))</c>)
/// and POSTed to <c>/v1/webhooks/{sourceId}</c>; only 200 with <c>"duplicate":false</c> counts. <c>baseline-webhook</c>: with
/// the Azure SDK on the same Azurite, the storage work a delivery cannot avoid — one idempotency insert, one insert of the
/// event with its 2 KiB body as a binary property, one enqueue of a small JSON message (base64, as the hub's queues are).
/// </summary>
internal sealed class WebhookLoad
{
    /// <summary>The body size of every delivery (issue 9: a 2 KiB Stripe-style body).</summary>
    public const int BodyBytes = 2048;

    private const string EventType = "charge.succeeded";
    private static readonly byte[] NotDuplicate = "\"duplicate\":false"u8.ToArray();

    private readonly HttpClient _http;
    private readonly Uri _receiveUri;
    private readonly string _sourceId;
    private readonly byte[] _secret;
    private readonly string _partition;
    private readonly string _projectId;
    private readonly TableClient _idempotency;
    private readonly TableClient _events;
    private readonly QueueClient _queue;
    // Event ids are this run's random prefix + a counter: unique within the run and across runs on one Azurite.
    private readonly string _runPrefix = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
    private readonly string _padding;
    private long _next;

    public WebhookLoad(HttpClient http, Uri baseAddress, string sourceId, string secret, TableServiceClient tables, QueueServiceClient queues, string prefix,
        string organizationId, string projectId)
    {
        _http = http;
        _receiveUri = new Uri(baseAddress, "v1/webhooks/" + sourceId);
        _sourceId = sourceId;
        _secret = Encoding.UTF8.GetBytes(secret);
        _partition = $"{organizationId}_{projectId}";
        _projectId = projectId;
        _idempotency = tables.GetTableClient(prefix + "benchwebhookkeys");
        _events = tables.GetTableClient(prefix + "benchwebhookevents");
        _queue = queues.GetQueueClient(prefix + "-bench-webhooks");
        // Every body has the same length (ids and timestamps are fixed-width), so the padding is sized once.
        var unpadded = Body("evt_" + new string('0', 24), 0, "").Length;
        _padding = new string('x', BodyBytes - unpadded);
    }

    /// <summary>A source of scheme <c>stripe</c> is needed: <see cref="HubApi.CreateWebhookSourceAsync"/>.</summary>
    public static string NewSecret() => "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));

    public Scenario Baseline => new("baseline-webhook", async ct =>
    {
        var (eventId, body) = NextDelivery();
        var now = TimeProvider.System.GetUtcNow();
        // 1. The idempotency key: the insert decides which copy of a delivery is the first.
        await _idempotency.AddEntityAsync(new TableEntity(_partition, _sourceId + ":" + eventId)
        {
            ["ReceivedAt"] = now,
            ["ExpiresAt"] = now.AddHours(24),
        }, ct).ConfigureAwait(false);
        // 2. The event: metadata, the headers the hub keeps for stripe, and the raw body as one binary property.
        await _events.AddEntityAsync(new TableEntity(_partition, eventId)
        {
            ["SourceId"] = _sourceId,
            ["Scheme"] = "stripe",
            ["ProviderEventId"] = eventId,
            ["Type"] = EventType,
            ["ReceivedAt"] = now,
            ["Headers"] = """{"Content-Type":"application/json","Stripe-Signature":"t=1764500000,v1=0000000000000000000000000000000000000000000000000000000000000000"}""",
            ["BodyLength"] = body.Length,
            ["Body"] = body,
        }, ct).ConfigureAwait(false);
        // 3. The hand-off: a small JSON message on the project's queue.
        var message = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["event_id"] = eventId, ["source_id"] = _sourceId, ["project_id"] = _projectId, ["type"] = EventType, ["received_at"] = now,
        });
        await _queue.SendMessageAsync(message, ct).ConfigureAwait(false);
        return true;
    });

    public Scenario Hub => new("hub-webhook", async ct =>
    {
        var (_, body) = NextDelivery();
        using var request = new HttpRequestMessage(HttpMethod.Post, _receiveUri) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation("Stripe-Signature", Sign(body));
        using var response = await _http.SendAsync(request, ct).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return false;
        }

        // A duplicate would mean the run measured something else than first deliveries.
        var answer = await response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
        return answer.AsSpan().IndexOf(NotDuplicate) >= 0;
    });

    /// <summary>Creates the baseline's two tables and its queue (the hub creates its own).</summary>
    public async Task CreateBaselineStorageAsync(CancellationToken cancellationToken)
    {
        await _idempotency.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
        await _events.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
        await _queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stripe's header for <paramref name="body"/>: the signed payload is <c>{t}.{body}</c>, keyed with the whole secret.</summary>
    public string Sign(byte[] body)
    {
        var t = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var payload = new byte[t.Length + 1 + body.Length];
        Encoding.ASCII.GetBytes(t, payload);
        payload[t.Length] = (byte)'.';
        body.CopyTo(payload, t.Length + 1);
        return "t=" + t + ",v1=" + Convert.ToHexStringLower(HMACSHA256.HashData(_secret, payload));
    }

    /// <summary>A new event id and its 2 KiB body.</summary>
    public (string EventId, byte[] Body) NextDelivery()
    {
        var eventId = "evt_" + _runPrefix + Interlocked.Increment(ref _next).ToString("x16", CultureInfo.InvariantCulture);
        var body = Encoding.UTF8.GetBytes(Body(eventId, TimeProvider.System.GetUtcNow().ToUnixTimeSeconds(), _padding));
        return (eventId, body);
    }

    // The shape of a Stripe event (https://docs.stripe.com/api/events/object), padded in the charge's description.
    private static string Body(string eventId, long created, string padding) =>
        """{"id":""" + "\"" + eventId + "\"" + ""","object":"event","api_version":"2024-06-20","created":""" + created.ToString("D10", CultureInfo.InvariantCulture)
        + ""","type":"charge.succeeded","livemode":false,"pending_webhooks":1,"request":{"id":null,"idempotency_key":null},"data":{"object":{"id":"ch_3PbenchChargeBenchCharge","object":"charge","amount":2000,"currency":"usd","paid":true,"status":"succeeded","description":""" + "\"" + padding + "\""
        + ""","metadata":{"order_id":"bench-order"}}}}""";
}
