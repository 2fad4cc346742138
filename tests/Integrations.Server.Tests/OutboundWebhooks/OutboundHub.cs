using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Integrations.Testing;

namespace Integrations.Server.Tests.OutboundWebhooks;

/// <summary>
/// Server processes of one hub on one Azurite (one prefix, root key and admin key: any number of instances, started and
/// killed at will) and the few API calls the multi-process delivery tests make, through real HTTP as a user would.
/// </summary>
internal sealed class OutboundHub : IAsyncDisposable
{
    private readonly Dictionary<string, string?> _settings;
    private readonly List<ServerProcess> _servers = [];

    private OutboundHub(Dictionary<string, string?> settings, string adminKey)
    {
        _settings = settings;
        AdminKey = adminKey;
        Http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64, UseCookies = false }) { Timeout = TimeSpan.FromSeconds(60) };
    }

    public HttpClient Http { get; }

    public string AdminKey { get; }

    /// <summary>The owner key of the organization <see cref="CreateTenantAsync"/> made (every scope, secrets:reveal included).</summary>
    public string ApiKey { get; private set; } = "";

    public string ProjectId { get; private set; } = "";

    /// <summary>
    /// A hub on the shared Azurite with a prefix of its own, the outbound guard open to loopback (the receiver), the retry
    /// schedule compressed to seconds, queue workers polling every 100 ms, and the per-key rate limit lifted (one key sends
    /// a thousand messages).
    /// </summary>
    public static async Task<OutboundHub> CreateAsync(IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var azurite = await AzuriteInstance.Shared;
        var test = new HubTestSettings(azurite.ConnectionString);
        var settings = test.Build();
        settings["OutboundHttp:AllowedNetworks:0"] = "127.0.0.0/8";
        settings["Webhooks:RetrySchedule"] = "0s,1s,2s,2s,2s,2s,2s,2s";
        // A fan-out an accept left unfinished (the kill) is recovered within seconds, not minutes.
        settings["Webhooks:FanOutRecoveryAfter"] = "00:00:05";
        settings["Webhooks:FanOutRecoverySchedule"] = "*/5 * * * * *";
        settings["RateLimits:PerCredentialPerMinute"] = "100000000";
        settings["RateLimits:FailedAuthenticationsPerMinute"] = "100000000";
        settings["Logging:LogLevel:Default"] = "Warning";
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return new OutboundHub(settings, test.AdminKey);
    }

    /// <summary>Starts one more Server instance over the hub's storage and waits until it is ready.</summary>
    public async Task<ServerProcess> StartServerAsync()
    {
        // Development: the receiver is plain http on loopback.
        var server = await ServerProcess.StartAsync(_settings, "Development", new ServerProcessOptions { Lifetime = TimeSpan.FromMinutes(12) });
        _servers.Add(server);
        await server.WaitUntilReadyAsync(Http);
        return server;
    }

    /// <summary>An organization (its owner key) and a project, created through <paramref name="server"/>.</summary>
    public async Task CreateTenantAsync(ServerProcess server)
    {
        var org = await SendAsync(server, HttpMethod.Post, "v1/orgs", AdminKey, new { name = "Outbound" }, HttpStatusCode.Created);
        ApiKey = (string)org["api_key"]!;
        ProjectId = (string)(await SendAsync(server, HttpMethod.Post, "v1/projects", ApiKey, new { name = "outbound" }, HttpStatusCode.Created))["id"]!;
    }

    /// <summary>An endpoint for every event type at <paramref name="url"/>; returns its id.</summary>
    public async Task<string> CreateEndpointAsync(ServerProcess server, Uri url, int? rateLimitPerSecond = null)
    {
        var body = new Dictionary<string, object> { ["url"] = url.AbsoluteUri, ["description"] = "multi-process delivery test" };
        if (rateLimitPerSecond is { } limit)
        {
            body["rate_limit_per_second"] = limit;
        }

        var created = await SendAsync(server, HttpMethod.Post, $"v1/projects/{ProjectId}/webhook-endpoints", ApiKey, body, HttpStatusCode.Created);
        return (string)created["id"]!;
    }

    /// <summary>The endpoint's signing secrets (<c>whsec_…</c>), from the reveal route.</summary>
    public async Task<IReadOnlyList<string>> RevealSecretsAsync(ServerProcess server, string endpointId)
    {
        var revealed = await SendAsync(server, HttpMethod.Post, $"v1/projects/{ProjectId}/webhook-endpoints/{endpointId}/secret/reveal", ApiKey, null, HttpStatusCode.OK);
        var secrets = Strings(revealed).Where(s => s.StartsWith("whsec_", StringComparison.Ordinal)).Distinct(StringComparer.Ordinal).ToList();
        Assert.True(secrets.Count > 0, "The reveal answered no whsec_ secret: " + revealed.ToJsonString());
        return secrets;
    }

    /// <summary>The endpoint's stats (counts of delivered, retrying, failed).</summary>
    public Task<JsonNode> StatsAsync(ServerProcess server, string endpointId) =>
        SendAsync(server, HttpMethod.Get, $"v1/projects/{ProjectId}/webhook-endpoints/{endpointId}/stats", ApiKey, null, HttpStatusCode.OK);

    /// <summary>A message with its delivery states.</summary>
    public Task<JsonNode> MessageAsync(ServerProcess server, string messageId) =>
        SendAsync(server, HttpMethod.Get, $"v1/projects/{ProjectId}/messages/{messageId}", ApiKey, null, HttpStatusCode.OK);

    /// <summary>
    /// POSTs a message whose payload carries <paramref name="number"/> and the send time (<c>sent_ticks</c>); the message id
    /// when the hub accepted it, null when no answer came (the process died meanwhile). Any other answer fails the test.
    /// </summary>
    public async Task<string?> TrySendMessageAsync(ServerProcess server, string idempotencyKey, int number)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server.BaseAddress, $"v1/projects/{ProjectId}/messages"))
        {
            Content = JsonContent.Create(new
            {
                event_type = "harness.test",
                payload = new { number, sent_ticks = Stopwatch.GetTimestamp() },
                idempotency_key = idempotencyKey,
            }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
        try
        {
            using var response = await Http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            // 202 for a new message; a repeated idempotency key may answer 200 with the first message.
            Assert.True(response.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.OK, $"POST messages answered {(int)response.StatusCode}: {text}");
            return (string)JsonNode.Parse(text)!["id"]!;
        }
        catch (HttpRequestException)
        {
            return null; // No answer: refused or cut off by the kill. The outcome is unknown to the sender.
        }
        catch (TaskCanceledException) when (server.HasExited)
        {
            return null;
        }
    }

    /// <summary>Lines of every Server's output that say something failed, to explain a failing assertion.</summary>
    public string Failures() => string.Join('\n', _servers.SelectMany(s => s.Output.Split('\n'))
        .Where(l => l.Contains("fail", StringComparison.OrdinalIgnoreCase) || l.Contains("Exception", StringComparison.Ordinal) || l.Contains("warn", StringComparison.Ordinal))
        .Take(60));

    public async ValueTask DisposeAsync()
    {
        foreach (var server in _servers)
        {
            await server.DisposeAsync();
        }

        Http.Dispose();
    }

    /// <summary>A number property named <paramref name="name"/> anywhere in <paramref name="node"/>, or null.</summary>
    public static long? FindNumber(JsonNode? node, string name) => node switch
    {
        JsonObject o => o.Select(p => p.Key == name && p.Value is JsonValue v && v.TryGetValue<long>(out var n) ? n : FindNumber(p.Value, name)).FirstOrDefault(n => n is not null),
        JsonArray a => a.Select(e => FindNumber(e, name)).FirstOrDefault(n => n is not null),
        _ => null,
    };

    /// <summary>Every string value anywhere in <paramref name="node"/>.</summary>
    public static IEnumerable<string> Strings(JsonNode? node) => node switch
    {
        JsonObject o => o.SelectMany(p => Strings(p.Value)),
        JsonArray a => a.SelectMany(Strings),
        JsonValue v when v.GetValueKind() == JsonValueKind.String => [v.GetValue<string>()],
        _ => [],
    };

    public static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    public static string Invariant(FormattableString value) => value.ToString(CultureInfo.InvariantCulture);

    private async Task<JsonNode> SendAsync(ServerProcess server, HttpMethod method, string path, string bearer, object? body, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(method, new Uri(server.BaseAddress, path)) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{method} /{path} answered {(int)response.StatusCode}, expected {(int)expected}: {text}");
        return JsonNode.Parse(text)!;
    }
}
