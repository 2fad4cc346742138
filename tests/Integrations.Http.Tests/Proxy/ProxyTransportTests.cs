using System.Collections.Concurrent;
using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Integrations.Core.Connections.Proxy;
using Integrations.Http.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Integrations.Http.Tests.Proxy;

/// <summary>
/// The proxy transport against loopback Kestrel upstreams: how many attempts each outcome costs (counted by the
/// upstream), the one 401 retry, streaming, what headers cross, and the SSRF guard. Retry delays run on fake time.
/// </summary>
public sealed class ProxyTransportTests
{
    // The connection's retries (2) + 1; linear_1s allows up to 4.
    private const int Attempts = 3;

    public static TheoryData<int, int> StatusAttempts => new()
    {
        { 500, Attempts },
        { 502, Attempts },
        { 503, Attempts },
        { 429, Attempts },
        { 408, Attempts },
        { 404, 1 },
        { 400, 1 },
        { 403, 1 },
        { 409, 1 },
        { 401, 1 },
    };

    [Theory]
    [MemberData(nameof(StatusAttempts))]
    public async Task SendAsync_UpstreamStatus_IsTriedAsOftenAsItsClassAllowsAndReturnedAsIs(int status, int expectedAttempts)
    {
        await using var server = await LoopbackServer.StartAsync(async (context, number) =>
        {
            context.Response.StatusCode = status;
            await context.Response.WriteAsync($"attempt {number}");
        });
        await using var host = OutboundTestHost.Create(settings: NoBreaker);

        await using var response = await Transport(host).SendAsync(Get(server));

        Assert.True(response.HasResponse);
        Assert.Equal(status, response.StatusCode);
        Assert.Equal(expectedAttempts, response.Attempts);
        Assert.Equal(expectedAttempts, server.Requests);
        Assert.Equal($"attempt {expectedAttempts}", await ReadAsync(response.Body));
    }

    [Fact]
    public async Task SendAsync_429WithRetryAfter_WaitsWhatTheUpstreamAsks()
    {
        await using var server = await LoopbackServer.StatusAsync(429, "Retry-After", "3");
        await using var host = OutboundTestHost.Create(settings: NoBreaker);

        await using var response = await Transport(host).SendAsync(Get(server));

        Assert.Equal(429, response.StatusCode);
        Assert.Equal(Attempts, response.Attempts);
        Assert.Equal(Enumerable.Repeat(TimeSpan.FromSeconds(3), Attempts - 1), host.Time.Delays);
    }

    [Fact]
    public async Task SendAsync_429WithRetryAfterBeyondTheCap_IsReturnedAfterOneAttempt()
    {
        await using var server = await LoopbackServer.StatusAsync(429, "Retry-After", "3600");
        await using var host = OutboundTestHost.Create(settings: NoBreaker);

        await using var response = await Transport(host).SendAsync(Get(server));

        Assert.Equal(429, response.StatusCode);
        Assert.Equal(1, response.Attempts);
        Assert.Contains(KeyValuePair.Create("Retry-After", "3600"), response.Headers);
    }

    [Fact]
    public async Task SendAsync_401WithRefresh_CallsItOnceAndRetriesOnceWithTheNewHeader()
    {
        var seen = new ConcurrentQueue<string>();
        await using var server = await LoopbackServer.StartAsync((context, _) =>
        {
            var authorization = context.Request.Headers.Authorization.ToString();
            seen.Enqueue(authorization);
            context.Response.StatusCode = authorization == "Bearer fresh" ? 200 : 401;
            return Task.CompletedTask;
        });
        await using var host = OutboundTestHost.Create(settings: NoBreaker);
        var refreshes = 0;

        await using var response = await Transport(host).SendAsync(Get(server) with
        {
            CredentialHeaders = [KeyValuePair.Create("Authorization", "Bearer stale")],
            RefreshCredentials = _ =>
            {
                Interlocked.Increment(ref refreshes);
                return ValueTask.FromResult<IReadOnlyList<KeyValuePair<string, string>>?>([KeyValuePair.Create("Authorization", "Bearer fresh")]);
            },
        });

        Assert.Equal(200, response.StatusCode);
        Assert.Equal(2, response.Attempts);
        Assert.Equal(1, refreshes);
        Assert.Equal(["Bearer stale", "Bearer fresh"], seen);
        Assert.Empty(host.Time.Delays);
    }

    [Fact]
    public async Task SendAsync_401AgainAfterTheRefresh_StopsAfterOneRetry()
    {
        await using var server = await LoopbackServer.StatusAsync(401);
        await using var host = OutboundTestHost.Create(settings: NoBreaker);
        var refreshes = 0;

        await using var response = await Transport(host).SendAsync(Get(server) with
        {
            MaxAttempts = 4,
            CredentialHeaders = [KeyValuePair.Create("Authorization", "Bearer stale")],
            RefreshCredentials = _ =>
            {
                Interlocked.Increment(ref refreshes);
                return ValueTask.FromResult<IReadOnlyList<KeyValuePair<string, string>>?>([KeyValuePair.Create("Authorization", "Bearer also-rejected")]);
            },
        });

        Assert.Equal(401, response.StatusCode);
        Assert.Equal(2, response.Attempts);
        Assert.Equal(2, server.Requests);
        Assert.Equal(1, refreshes);
    }

    [Fact]
    public async Task SendAsync_401AndNothingToRefresh_IsReturnedAfterOneAttempt()
    {
        await using var server = await LoopbackServer.StatusAsync(401);
        await using var host = OutboundTestHost.Create(settings: NoBreaker);

        await using var response = await Transport(host).SendAsync(Get(server) with
        {
            RefreshCredentials = _ => ValueTask.FromResult<IReadOnlyList<KeyValuePair<string, string>>?>(null),
        });

        Assert.Equal(401, response.StatusCode);
        Assert.Equal(1, server.Requests);
    }

    [Fact]
    public async Task SendAsync_ServerErrorThen401_RetriesTransientlyThenOnceForTheRefresh()
    {
        await using var server = await LoopbackServer.StartAsync((context, number) =>
        {
            context.Response.StatusCode = number switch { 1 => 503, 2 => 401, _ => 200 };
            return Task.CompletedTask;
        });
        await using var host = OutboundTestHost.Create(settings: NoBreaker);

        await using var response = await Transport(host).SendAsync(Get(server) with
        {
            RefreshCredentials = _ => ValueTask.FromResult<IReadOnlyList<KeyValuePair<string, string>>?>([KeyValuePair.Create("Authorization", "Bearer fresh")]),
        });

        Assert.Equal(200, response.StatusCode);
        Assert.Equal(3, response.Attempts);
    }

    [Fact]
    public async Task SendAsync_ClosedPort_IsANetworkFailureTriedEveryAttempt()
    {
        await using var host = OutboundTestHost.Create(settings: NoBreaker);

        await using var response = await Transport(host).SendAsync(Request(new Uri($"http://127.0.0.1:{ClosedPort()}/x")));

        Assert.False(response.HasResponse);
        Assert.Equal(ProxyFailureKind.Network, response.Failure.Kind);
        Assert.Equal(Attempts, response.Attempts);
        Assert.Equal(0, response.StatusCode);
    }

    [Fact]
    public async Task SendAsync_UpstreamThatNeverAnswers_IsATimeoutTriedEveryAttempt()
    {
        await using var server = await LoopbackServer.StartAsync((context, _) => Task.Delay(Timeout.Infinite, context.RequestAborted));
        await using var host = OutboundTestHost.Create(settings: NoBreaker);

        var call = Transport(host).SendAsync(Get(server));
        for (var attempt = 1; attempt <= Attempts; attempt++)
        {
            await server.WaitForRequestsAsync(attempt);
            host.Time.Advance(TimeSpan.FromSeconds(30));
        }

        await using var response = await call.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(ProxyFailureKind.Timeout, response.Failure?.Kind);
        Assert.Equal(Attempts, response.Attempts);
        Assert.Equal(Attempts, server.Requests);
    }

    [Fact]
    public async Task SendAsync_RepeatedFailures_OpenTheConnectionsCircuitAndTheNextCallSendsNothing()
    {
        await using var server = await LoopbackServer.StatusAsync(500);
        await using var host = OutboundTestHost.Create(settings: new Dictionary<string, string?> { ["CircuitBreaker:MinimumThroughput"] = "2" });
        var request = Get(server) with { MaxAttempts = 2 };

        await using (await Transport(host).SendAsync(request))
        {
        }

        await using var response = await Transport(host).SendAsync(request);

        Assert.Equal(ProxyFailureKind.CircuitOpen, response.Failure?.Kind);
        Assert.NotNull(response.Failure?.RetryAfter);
        Assert.Equal(2, server.Requests);
    }

    [Fact]
    public async Task SendAsync_Response_IsReturnedBeforeTheUpstreamHasFinishedSendingIt()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await LoopbackServer.StartAsync(async (context, _) =>
        {
            await context.Response.WriteAsync("first;");
            await context.Response.Body.FlushAsync();
            await release.Task.WaitAsync(TimeSpan.FromSeconds(20));
            await context.Response.WriteAsync("second");
        });
        await using var host = OutboundTestHost.Create(settings: NoBreaker);

        // If the transport buffered the body, this would wait for the release that comes only after it returns.
        await using var response = await Transport(host).SendAsync(Get(server)).WaitAsync(TimeSpan.FromSeconds(10));
        var first = new byte[6];
        await response.Body.ReadExactlyAsync(first);
        release.SetResult();

        Assert.Equal("first;", Encoding.ASCII.GetString(first));
        Assert.Equal("second", await ReadAsync(response.Body));
    }

    [Fact]
    public async Task SendAsync_ResponseLargerThanMaxResponseBytes_StreamsWhole()
    {
        // MaxResponseBytes bounds what the hub buffers; the proxy buffers nothing, so it does not apply (a declared
        // Content-Length over it would make the buffered client refuse the response at once).
        const int size = 4 * 1024 * 1024;
        await using var server = await LoopbackServer.StartAsync(async (context, _) =>
        {
            context.Response.ContentLength = size;
            var chunk = new byte[64 * 1024];
            Array.Fill(chunk, (byte)'x');
            for (var sent = 0; sent < size; sent += chunk.Length)
            {
                await context.Response.Body.WriteAsync(chunk);
            }
        });
        await using var host = OutboundTestHost.Create(settings: new Dictionary<string, string?>(NoBreaker) { ["MaxResponseBytes"] = "65536" });

        await using var response = await Transport(host).SendAsync(Get(server));
        var total = 0L;
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await response.Body.ReadAsync(buffer)) > 0)
        {
            total += read;
        }

        Assert.Equal(200, response.StatusCode);
        Assert.Equal(size, total);
        Assert.Contains(KeyValuePair.Create("Content-Length", size.ToString(System.Globalization.CultureInfo.InvariantCulture)), response.Headers);
    }

    [Fact]
    public async Task SendAsync_CompressedResponse_IsPassedOnAsSent()
    {
        var compressed = Gzip("hello, compressed world");
        await using var server = await LoopbackServer.StartAsync(async (context, _) =>
        {
            context.Response.Headers.ContentEncoding = "gzip";
            await context.Response.Body.WriteAsync(compressed);
        });
        await using var host = OutboundTestHost.Create(settings: NoBreaker);

        await using var response = await Transport(host).SendAsync(Get(server) with { Headers = [KeyValuePair.Create("Accept-Encoding", "gzip")] });
        using var copy = new MemoryStream();
        await response.Body.CopyToAsync(copy);

        Assert.Contains(KeyValuePair.Create("Content-Encoding", "gzip"), response.Headers);
        Assert.Equal(compressed, copy.ToArray());
    }

    [Fact]
    public async Task SendAsync_CallersAuthorizationAndHopByHopHeaders_NeverReachTheUpstream()
    {
        Dictionary<string, string>? received = null;
        await using var server = await LoopbackServer.StartAsync((context, _) =>
        {
            // A copy: Kestrel reuses the header collection once the request is done.
            received = context.Request.Headers.ToDictionary(header => header.Key, header => header.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            return Task.CompletedTask;
        });
        await using var host = OutboundTestHost.Create(settings: NoBreaker);

        await using var response = await Transport(host).SendAsync(Get(server) with
        {
            Headers =
            [
                KeyValuePair.Create("Authorization", "Bearer hub-api-key"),
                KeyValuePair.Create("Cookie", "hub_session=1"),
                KeyValuePair.Create("Connection", "X-Hop"),
                KeyValuePair.Create("X-Hop", "1"),
                KeyValuePair.Create("Keep-Alive", "timeout=5"),
                KeyValuePair.Create("Proxy-Authorization", "Basic eDp5"),
                KeyValuePair.Create("TE", "trailers"),
                KeyValuePair.Create("Upgrade", "websocket"),
                KeyValuePair.Create("Host", "evil.example"),
                KeyValuePair.Create("X-Hub-Attempts", "7"),
                KeyValuePair.Create("X-Request-Id", "req-1"),
                KeyValuePair.Create("Accept", "application/json"),
            ],
            CredentialHeaders = [KeyValuePair.Create("Authorization", "Bearer upstream-token")],
        });

        Assert.Equal(200, response.StatusCode);
        Assert.NotNull(received);
        Assert.Equal("Bearer upstream-token", received["Authorization"]);
        Assert.Equal("req-1", received["X-Request-Id"]);
        Assert.Equal("application/json", received["Accept"]);
        Assert.Equal($"127.0.0.1:{server.Port}", received["Host"]);
        foreach (var name in new[] { "Cookie", "X-Hop", "Keep-Alive", "Proxy-Authorization", "TE", "Upgrade", "X-Hub-Attempts" })
        {
            Assert.False(received.ContainsKey(name), name);
        }
    }

    [Fact]
    public async Task SendAsync_UpstreamHopByHopAndHubHeaders_AreNotReturned()
    {
        await using var server = await LoopbackServer.StartAsync((context, _) =>
        {
            context.Response.Headers["X-Hub-Attempts"] = "99";
            context.Response.Headers["Alt-Svc"] = "h3=\":443\"";
            context.Response.Headers["X-RateLimit-Remaining"] = "41";
            context.Response.Headers["Deprecation"] = "@1688169599";
            return context.Response.WriteAsync("ok");
        });
        await using var host = OutboundTestHost.Create(settings: NoBreaker);

        await using var response = await Transport(host).SendAsync(Get(server));

        Assert.DoesNotContain(response.Headers, header => header.Key is "X-Hub-Attempts" or "Alt-Svc" or "Transfer-Encoding" or "Connection");
        Assert.Contains(KeyValuePair.Create("X-RateLimit-Remaining", "41"), response.Headers);
        Assert.NotNull(DeprecationNotice.Parse(response.Headers));
    }

    [Fact]
    public async Task SendAsync_BufferedBody_IsSentAgainOnTheRetry()
    {
        var bodies = new ConcurrentQueue<(string Body, string ContentType)>();
        await using var server = await LoopbackServer.StartAsync(async (context, number) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            bodies.Enqueue((await reader.ReadToEndAsync(), context.Request.ContentType ?? ""));
            context.Response.StatusCode = number == 1 ? 503 : 201;
        });
        await using var host = OutboundTestHost.Create(settings: NoBreaker);
        using var body = new MemoryStream(Encoding.UTF8.GetBytes("{\"name\":\"x\"}"));

        await using var response = await Transport(host).SendAsync(Get(server) with
        {
            Method = "POST",
            Body = body,
            BodyLength = body.Length,
            Headers = [KeyValuePair.Create("Content-Type", "application/json"), KeyValuePair.Create("Content-Length", "999")],
        });

        Assert.Equal(201, response.StatusCode);
        Assert.Equal(2, response.Attempts);
        Assert.Equal([("{\"name\":\"x\"}", "application/json"), ("{\"name\":\"x\"}", "application/json")], bodies);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task SendAsync_BodyLargerThanTheBufferLimit_IsStreamedOnceAndNotRetried(bool lengthDeclared)
    {
        var received = new ConcurrentQueue<int>();
        await using var server = await LoopbackServer.StartAsync(async (context, _) =>
        {
            using var copy = new MemoryStream();
            await context.Request.Body.CopyToAsync(copy);
            received.Enqueue((int)copy.Length);
            context.Response.StatusCode = 503;
        });
        await using var host = OutboundTestHost.Create(settings: NoBreaker);
        var payload = new byte[300_000];
        using var body = new MemoryStream(payload);
        var refreshes = 0;

        await using var response = await Transport(host).SendAsync(Get(server) with
        {
            Method = "PUT",
            Body = body,
            BodyLength = lengthDeclared ? payload.Length : null,
            MaxBufferedBodyBytes = 64 * 1024,
            RefreshCredentials = _ =>
            {
                refreshes++;
                return ValueTask.FromResult<IReadOnlyList<KeyValuePair<string, string>>?>(null);
            },
        });

        Assert.Equal(503, response.StatusCode);
        Assert.Equal(1, response.Attempts);
        Assert.Equal([payload.Length], received);
        Assert.Equal(0, refreshes);
    }

    [Fact]
    public async Task SendAsync_LoopbackTargetWithoutAllowedNetworks_IsRefusedWithoutConnecting()
    {
        await using var server = await LoopbackServer.StatusAsync(200);
        await using var host = OutboundTestHost.Create(allowLoopback: false, settings: NoBreaker);

        await using var response = await Transport(host).SendAsync(Get(server));

        Assert.Equal(ProxyFailureKind.TargetRefused, response.Failure?.Kind);
        Assert.Equal(1, response.Attempts);
        Assert.Equal(0, server.Connections);
        Assert.Contains("127.0.0.1", response.Failure?.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_HostnameResolvingToLoopback_IsRefusedWithoutConnecting()
    {
        await using var server = await LoopbackServer.StatusAsync(200);
        var resolver = new FakeHostResolver().Map("api.rebind.example", "127.0.0.1");
        await using var host = OutboundTestHost.Create(allowLoopback: false, settings: NoBreaker, resolver: resolver);

        await using var response = await Transport(host).SendAsync(Request(new Uri($"http://api.rebind.example:{server.Port}/v1/users")));

        Assert.Equal(ProxyFailureKind.TargetRefused, response.Failure?.Kind);
        Assert.Equal(1, resolver.Lookups);
        Assert.Equal(0, server.Connections);
    }

    [Theory]
    [InlineData("10.0.0.5")]
    [InlineData("169.254.169.254")]
    [InlineData("192.168.1.10")]
    [InlineData("fd00::1")]
    public async Task SendAsync_HostnameResolvingToAPrivateAddress_IsRefusedByTheGuardsDecision(string address)
    {
        // The guard decides from the resolved address before any socket exists; nothing is dialled off loopback.
        var resolver = new FakeHostResolver().Map("internal.example", address);
        await using var host = OutboundTestHost.Create(allowLoopback: false, settings: NoBreaker, resolver: resolver);

        await using var response = await Transport(host).SendAsync(Request(new Uri("https://internal.example/v1/secrets")));

        Assert.Equal(ProxyFailureKind.TargetRefused, response.Failure?.Kind);
        Assert.Equal(1, response.Attempts);
        Assert.Contains(address, response.Failure?.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_WithCredentials_LogsNoCredentialPathQueryOrBody()
    {
        await using var server = await LoopbackServer.StatusAsync(500);
        await using var host = OutboundTestHost.Create(settings: NoBreaker);
        using var body = new MemoryStream(Encoding.UTF8.GetBytes("password=BODY-SECRET"));

        await using var response = await Transport(host).SendAsync(Request(server.Url("/private-path?api_key=QUERY-SECRET")) with
        {
            Method = "POST",
            Body = body,
            BodyLength = body.Length,
            Headers = [KeyValuePair.Create("X-Custom", "HEADER-SECRET")],
            CredentialHeaders = [KeyValuePair.Create("Authorization", "Bearer TOKEN-SECRET")],
            RefreshCredentials = _ => ValueTask.FromResult<IReadOnlyList<KeyValuePair<string, string>>?>(null),
        });

        Assert.Equal(500, response.StatusCode);
        Assert.Contains(host.Logs.Entries, entry => entry.EventId.Id == 7101);
        Assert.All(host.Logs.Entries, entry =>
        {
            var text = entry.Message + entry.Values;
            Assert.DoesNotContain("SECRET", text, StringComparison.Ordinal);
            Assert.DoesNotContain("private-path", text, StringComparison.Ordinal);
        });
        Assert.All(host.Logs.Entries.Where(entry => entry.Category.StartsWith("Integrations.Http.Proxy", StringComparison.Ordinal)),
            entry => Assert.InRange(entry.EventId.Id, 7100, 7119));
    }

    [Fact]
    public async Task SendAsync_CallerCancels_Throws()
    {
        await using var server = await LoopbackServer.StartAsync((context, _) => Task.Delay(Timeout.Infinite, context.RequestAborted));
        await using var host = OutboundTestHost.Create(settings: NoBreaker);
        using var cancellation = new CancellationTokenSource();

        var call = Transport(host).SendAsync(Get(server), cancellation.Token);
        await server.WaitForRequestsAsync(1);
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Equal(1, server.Requests);
    }

    [Fact]
    public void ProxyRequest_ToString_ShowsNeitherCredentialNorPathNorQuery()
    {
        var request = Request(new Uri("https://api.example.com/v1/private?api_key=QUERY-SECRET")) with
        {
            CredentialHeaders = [KeyValuePair.Create("Authorization", "Bearer TOKEN-SECRET")],
        };

        var text = request.ToString();

        Assert.DoesNotContain("SECRET", text, StringComparison.Ordinal);
        Assert.DoesNotContain("private", text, StringComparison.Ordinal);
        Assert.Contains("https://api.example.com", text, StringComparison.Ordinal);
    }

    // A breaker that cannot open within one test, so the counts are the retry strategy's alone.
    private static readonly Dictionary<string, string?> NoBreaker = new() { ["CircuitBreaker:MinimumThroughput"] = "1000" };

    private static IProxyTransport Transport(OutboundTestHost host) => host.Services.GetRequiredService<IProxyTransport>();

    private static ProxyRequest Get(LoopbackServer server) => Request(server.Url("/v1/items"));

    // AttemptTimeout above the fake clock's auto-advance threshold (25 s): only the retry delays fire by themselves.
    private static ProxyRequest Request(Uri target) => new()
    {
        Method = "GET",
        Target = target,
        CircuitKey = "conn_test",
        RetryStrategy = "linear_1s",
        MaxAttempts = Attempts,
        AttemptTimeout = TimeSpan.FromSeconds(30),
    };

    private static async Task<string> ReadAsync(Stream body)
    {
        using var reader = new StreamReader(body, leaveOpen: true);
        return await reader.ReadToEndAsync();
    }

    private static byte[] Gzip(string text)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        {
            gzip.Write(Encoding.UTF8.GetBytes(text));
        }

        return output.ToArray();
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
