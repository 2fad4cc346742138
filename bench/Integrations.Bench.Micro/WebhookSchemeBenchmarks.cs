using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using Integrations.Core.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using NSec.Cryptography;

namespace Integrations.Bench.Micro;

/// <summary>
/// Signature verification alone, per scheme, of one 2 KiB delivery (issue 9: "signature verification alone per scheme as a
/// micro-benchmark, per core, 2 KiB body"), against raw HMAC-SHA256 of the same 2 KiB with a fixed key (the baseline), so the
/// Ratio column is what a scheme costs beyond the one MAC most of them must compute. The schemes come from the registry that
/// <see cref="WebhookServiceCollectionExtensions.AddIntegrationsWebhookSchemes"/> builds: every registered scheme that has a
/// request builder below is measured, and a builder whose scheme is not registered is skipped.
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class WebhookSchemeBenchmarks
{
    private const int BodySize = 2048;
    private const string Secret = "bench-webhook-signing-secret-0001";
    private const string Url = "https://hub.example.com/v1/webhooks/whs_benchmark000000000001";
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_790_000_000);
    private static readonly string Ts = Now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
    private static readonly string TsMs = Now.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);

    private static readonly WebhookSchemeRegistry Registry = BuildRegistry();

    private static readonly Dictionary<string, Func<Delivery>> Builders = new(StringComparer.Ordinal)
    {
        [WebhookSchemes.Stripe] = Stripe,
        [WebhookSchemes.Standard] = Standard,
        [WebhookSchemes.GitHub] = GitHub,
        [WebhookSchemes.Slack] = Slack,
        [WebhookSchemes.Asana] = Asana,
        [WebhookSchemes.Shopify] = Shopify,
        [WebhookSchemes.Linear] = Linear,
        [WebhookSchemes.Hmac] = Hmac,
        [WebhookSchemes.Twilio] = Twilio,
        [WebhookSchemes.HubSpot] = HubSpot,
        [WebhookSchemes.Zoom] = Zoom,
        [WebhookSchemes.Mailgun] = Mailgun,
        [WebhookSchemes.SendGrid] = SendGrid,
        [WebhookSchemes.Discord] = Discord,
    };

    private readonly byte[] _baselineKey = Encoding.UTF8.GetBytes(Secret);
    private readonly byte[] _mac = new byte[32];
    private IWebhookScheme _scheme = null!;
    private Delivery _delivery = null!;

    /// <summary>Registered schemes with a builder, by name.</summary>
    public static IEnumerable<string> SchemeNames => Registry.Names.Where(Builders.ContainsKey).Order(StringComparer.Ordinal);

    [ParamsSource(nameof(SchemeNames))]
    public string Scheme { get; set; } = string.Empty;

    [GlobalSetup]
    public void Setup()
    {
        _scheme = Registry.Find(Scheme) ?? throw new InvalidOperationException($"{Scheme} is not registered.");
        _delivery = Builders[Scheme]();
        if (_delivery.Request.Body.Length != BodySize)
        {
            throw new InvalidOperationException($"The {Scheme} body is {_delivery.Request.Body.Length} bytes, not {BodySize}.");
        }

        // A builder that does not produce a verifiable delivery would measure a refusal: stop instead.
        var result = Verify();
        if (!result.IsVerified)
        {
            throw new InvalidOperationException($"The {Scheme} bench delivery does not verify: {result.Refusal} {result.Reason}");
        }
    }

    [Benchmark(Baseline = true, Description = "raw HMAC-SHA256 of 2 KiB")]
    public byte[] RawHmacSha256()
    {
        HMACSHA256.HashData(_baselineKey, _delivery.Request.Body.Span, _mac);
        return _mac;
    }

    [Benchmark(Description = "scheme Verify")]
    public WebhookVerification Verify() => _scheme.Verify(_delivery.Request, _delivery.Keys, _delivery.Settings);

    private static WebhookSchemeRegistry BuildRegistry()
    {
        var services = new ServiceCollection();
        services.AddIntegrationsWebhookSchemes();
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<WebhookSchemeRegistry>();
    }

    private sealed record Delivery(WebhookRequest Request, IReadOnlyList<WebhookSigningKey> Keys, WebhookSourceSettings Settings);

    private static Delivery Make(string body, string key, params (string Name, string Value)[] headers) =>
        Make(body, key, WebhookSourceSettings.Default, headers);

    private static Delivery Make(string body, string key, WebhookSourceSettings settings, params (string Name, string Value)[] headers) =>
        new(new WebhookRequest("POST", Url, new WebhookHeaders(headers.Select(h => new KeyValuePair<string, string[]>(h.Name, [h.Value]))),
                Encoding.UTF8.GetBytes(body), Now),
            [new WebhookSigningKey("k1", key, null)],
            settings);

    /// <summary><paramref name="prefix"/> + filler + <paramref name="suffix"/>, exactly 2 KiB of ASCII.</summary>
    private static string Padded(string prefix, string suffix) => prefix + new string('x', BodySize - prefix.Length - suffix.Length) + suffix;

    private static string Hex(byte[] key, string payload) => Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(payload)));

    private static string Hex(string key, string payload) => Hex(Encoding.UTF8.GetBytes(key), payload);

    private static string Base64(string key, string payload) => Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(payload)));

    // --- i9-schemes-a's schemes, each as its provider documents the delivery (issue 9) ---

    private static Delivery Stripe()
    {
        const string key = "whsec_" + Secret;
        var body = Padded("""{"id":"evt_1PbenchMark0000000001","object":"event","type":"invoice.paid","data":{"object":{"id":"in_1","memo":" """, "\"}}}");
        return Make(body, key, ("Stripe-Signature", $"t={Ts},v1={Hex(key, $"{Ts}.{body}")}"));
    }

    private static Delivery Standard()
    {
        // Standard Webhooks: whsec_ + base64 of the key bytes; v1, + base64 HMAC-SHA256 of "{id}.{timestamp}.{body}".
        var keyBytes = Encoding.UTF8.GetBytes(Secret);
        const string id = "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W";
        var body = Padded("""{"type":"user.created","data":{"id":"user_1","note":" """, "\"}}");
        var signature = Convert.ToBase64String(HMACSHA256.HashData(keyBytes, Encoding.UTF8.GetBytes($"{id}.{Ts}.{body}")));
        return Make(body, "whsec_" + Convert.ToBase64String(keyBytes),
            ("webhook-id", id), ("webhook-timestamp", Ts), ("webhook-signature", "v1," + signature));
    }

    private static Delivery GitHub()
    {
        var body = Padded("""{"action":"opened","number":1,"pull_request":{"title":" """, "\"}}");
        return Make(body, Secret,
            ("X-Hub-Signature-256", "sha256=" + Hex(Secret, body)),
            ("X-GitHub-Delivery", "72d3162e-cc78-11e3-81ab-4c9367dc0958"),
            ("X-GitHub-Event", "pull_request"));
    }

    private static Delivery Slack()
    {
        var body = Padded("""{"type":"event_callback","event_id":"Ev0PV52K21","event":{"type":"app_mention","text":" """, "\"}}");
        return Make(body, Secret,
            ("X-Slack-Request-Timestamp", Ts),
            ("X-Slack-Signature", "v0=" + Hex(Secret, $"v0:{Ts}:{body}")));
    }

    private static Delivery Asana()
    {
        var body = Padded("""{"events":[{"action":"changed","resource":{"gid":"1","resource_type":"task","name":" """, "\"}}]}");
        return Make(body, Secret, ("X-Hook-Signature", Hex(Secret, body)));
    }

    private static Delivery Shopify()
    {
        var body = Padded("""{"id":820982911946154508,"email":"jon@example.com","note":" """, "\"}");
        return Make(body, Secret,
            ("X-Shopify-Hmac-Sha256", Base64(Secret, body)),
            ("X-Shopify-Webhook-Id", "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043"),
            ("X-Shopify-Topic", "orders/create"));
    }

    private static Delivery Linear()
    {
        var body = Padded(
            $$"""{"action":"create","type":"Issue","webhookId":"000042e3-d123-4980-b49f-8e140eef9329","webhookTimestamp":{{TsMs}},"data":{"id":"2174add1","title":" """,
            "\"}}");
        return Make(body, Secret,
            ("Linear-Signature", Hex(Secret, body)),
            ("Linear-Delivery", "234d1a4e-b617-4388-90fe-adc3633d6b72"),
            ("Linear-Event", "Issue"));
    }

    private static Delivery Hmac()
    {
        var settings = new WebhookSourceSettings(
            Hmac: new HmacSchemeSettings("X-Signature", "sha256", "hex", "sha256=", "X-Timestamp", "."),
            EventIdHeader: "X-Event-Id");
        var body = Padded("""{"type":"thing.happened","data":" """, "\"}");
        return Make(body, Secret, settings,
            ("X-Signature", "sha256=" + Hex(Secret, $"{Ts}.{body}")), ("X-Timestamp", Ts), ("X-Event-Id", "evt_bench_1"));
    }

    // --- i9-schemes-b's schemes ---

    private static Delivery Twilio()
    {
        // Values need no percent-encoding, so the signed string is name + value in name order.
        var pairs = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["AccountSid"] = "AC00000000000000000000000000000001",
            ["From"] = "15550000001",
            ["MessageSid"] = "SM00000000000000000000000000000001",
            ["MessageStatus"] = "delivered",
            ["To"] = "15550000002",
        };
        var prefix = string.Join('&', pairs.Select(p => $"{p.Key}={p.Value}")) + "&Body=";
        var body = Padded(prefix, string.Empty);
        pairs["Body"] = body[prefix.Length..];
#pragma warning disable CA5350 // Twilio's scheme is HMAC-SHA1.
        var signature = Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(Secret),
            Encoding.UTF8.GetBytes(Url + string.Concat(pairs.Select(p => p.Key + p.Value)))));
#pragma warning restore CA5350
        return Make(body, Secret, ("Content-Type", "application/x-www-form-urlencoded"), ("X-Twilio-Signature", signature));
    }

    private static Delivery HubSpot()
    {
        var body = Padded("""[{"eventId":100,"subscriptionId":1,"portalId":62515,"occurredAt":1790000000000,"subscriptionType":"contact.creation","attemptNumber":0,"objectId":1,"note":" """, "\"}]");
        return Make(body, Secret,
            ("X-HubSpot-Signature-v3", Base64(Secret, "POST" + Url + body + TsMs)), ("X-HubSpot-Request-Timestamp", TsMs));
    }

    private static Delivery Zoom()
    {
        var body = Padded("""{"event":"meeting.started","event_ts":1790000000000,"payload":{"account_id":"a","object":{"id":"1","topic":" """, "\"}}}");
        return Make(body, Secret, ("x-zm-signature", "v0=" + Hex(Secret, $"v0:{Ts}:{body}")), ("x-zm-request-timestamp", Ts));
    }

    private static Delivery Mailgun()
    {
        const string token = "e0b5477167110d68991efc6b9f89f0a11066af27834600e123";
        var prefix = $$"""{"signature":{"token":"{{token}}","timestamp":"{{Ts}}","signature":"{{Hex(Secret, Ts + token)}}"},"event-data":{"id":"CPgfbmQMTCKtHW6uIWtuVe","event":"delivered","note":" """;
        return Make(Padded(prefix, "\"}}"), Secret, ("Content-Type", "application/json"));
    }

    private static Delivery SendGrid()
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var body = Padded("""[{"email":"a@example.com","event":"delivered","sg_event_id":"ZGVsaXZlcmVkLTEtYQ","timestamp":1790000000,"note":" """, "\"}]");
        var signature = ecdsa.SignData(Encoding.UTF8.GetBytes(Ts + body), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        return Make(body, Convert.ToBase64String(ecdsa.ExportSubjectPublicKeyInfo()),
            ("X-Twilio-Email-Event-Webhook-Signature", Convert.ToBase64String(signature)), ("X-Twilio-Email-Event-Webhook-Timestamp", Ts));
    }

    private static Delivery Discord()
    {
        using var key = Key.Create(SignatureAlgorithm.Ed25519);
        var body = Padded("""{"id":"1187000000000000001","application_id":"1100000000000000001","type":2,"version":1,"data":{"name":"bench","note":" """, "\"}}");
        var signature = SignatureAlgorithm.Ed25519.Sign(key, Encoding.UTF8.GetBytes(Ts + body));
        return Make(body, Convert.ToHexStringLower(key.PublicKey.Export(KeyBlobFormat.RawPublicKey)),
            ("X-Signature-Ed25519", Convert.ToHexStringLower(signature)), ("X-Signature-Timestamp", Ts));
    }
}
