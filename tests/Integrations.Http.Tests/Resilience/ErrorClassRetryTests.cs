using System.Net;
using System.Net.Sockets;
using Integrations.Http.Client;
using Integrations.Http.Resilience;
using Integrations.Http.Tests.Support;
using Microsoft.AspNetCore.Http;

namespace Integrations.Http.Tests.Resilience;

/// <summary>
/// How often each error class is tried, counted by a loopback server: retried classes get the strategy's every
/// attempt, the others one. Retry delays run on fake time (fired as they are scheduled), so no test sleeps.
/// </summary>
public sealed class ErrorClassRetryTests
{
    // linear_1s allows 4 attempts.
    private const int Max = 4;

    public static TheoryData<int, OutboundErrorKind, int> StatusClasses => new()
    {
        { 401, OutboundErrorKind.Auth, Max },
        { 429, OutboundErrorKind.RateLimit, Max },
        { 500, OutboundErrorKind.Server, Max },
        { 502, OutboundErrorKind.Server, Max },
        { 503, OutboundErrorKind.Server, Max },
        { 408, OutboundErrorKind.Timeout, Max },
        { 403, OutboundErrorKind.Permission, 1 },
        { 404, OutboundErrorKind.NotFound, 1 },
        { 410, OutboundErrorKind.NotFound, 1 },
        { 400, OutboundErrorKind.Validation, 1 },
        { 422, OutboundErrorKind.Validation, 1 },
        { 409, OutboundErrorKind.Client, 1 },
    };

    [Theory]
    [MemberData(nameof(StatusClasses))]
    public async Task SendAsync_StatusClass_IsTriedAsOftenAsItsClassAllows(int status, OutboundErrorKind kind, int expectedAttempts)
    {
        await using var server = await LoopbackServer.StatusAsync(status);
        await using var host = OutboundTestHost.Create(settings: NoBreaker);

        using var result = await host.Client.SendAsync(Get(server), Linear1s);

        Assert.False(result.IsSuccess);
        Assert.Equal(kind, result.Failure.Kind);
        Assert.Equal((HttpStatusCode)status, result.Failure.StatusCode);
        Assert.Equal(expectedAttempts, result.Attempts);
        Assert.Equal(expectedAttempts, result.Failure.Attempts);
        Assert.Equal(expectedAttempts, server.Requests);
        Assert.Equal(expectedAttempts - 1, host.Time.Delays.Count);
    }

    [Fact]
    public async Task SendAsync_429WithRetryAfterSeconds_WaitsWhatTheServerAsks()
    {
        await using var server = await LoopbackServer.StatusAsync(429, "Retry-After", "3");
        await using var host = OutboundTestHost.Create(settings: NoBreaker);

        using var result = await host.Client.SendAsync(Get(server), Linear1s);

        Assert.Equal("RATE_LIMIT_ERROR", result.Failure?.Code);
        Assert.Equal(Max, server.Requests);
        Assert.Equal(Enumerable.Repeat(TimeSpan.FromSeconds(3), Max - 1), host.Time.Delays);
        Assert.Equal(TimeSpan.FromSeconds(3), result.Failure?.RetryAfter);
    }

    [Fact]
    public async Task SendAsync_429WithRetryAfterDate_WaitsUntilThatDate()
    {
        await using var host = OutboundTestHost.Create(settings: NoBreaker);
        await using var server = await LoopbackServer.StartAsync((context, _) =>
        {
            context.Response.StatusCode = 429;
            // An HTTP-date five seconds after the client's (fake) clock.
            context.Response.Headers.RetryAfter = host.Time.GetUtcNow().AddSeconds(5).ToString("R", System.Globalization.CultureInfo.InvariantCulture);
            return Task.CompletedTask;
        });

        using var result = await host.Client.SendAsync(Get(server), Linear1s with { MaxAttempts = 2 });

        Assert.Equal(OutboundErrorKind.RateLimit, result.Failure?.Kind);
        Assert.Equal(2, server.Requests);
        Assert.Equal([TimeSpan.FromSeconds(5)], host.Time.Delays);
    }

    [Fact]
    public async Task SendAsync_429WithRetryAfterLongerThanMaxRetryAfter_StopsAndReportsIt()
    {
        await using var server = await LoopbackServer.StatusAsync(429, "Retry-After", "120");
        await using var host = OutboundTestHost.Create(settings: NoBreaker);

        using var result = await host.Client.SendAsync(Get(server), Linear1s);

        Assert.Equal(OutboundErrorKind.RateLimit, result.Failure?.Kind);
        Assert.Equal(1, server.Requests);
        Assert.Equal(TimeSpan.FromSeconds(120), result.Failure?.RetryAfter);
        Assert.Empty(host.Time.Delays);
    }

    [Fact]
    public async Task SendAsync_ClosedPort_IsANetworkErrorTriedEveryAttempt()
    {
        var port = ClosedPort();
        await using var host = OutboundTestHost.Create(settings: NoBreaker);

        using var result = await host.Client.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port}/"), Linear1s);

        Assert.Equal(OutboundErrorKind.Network, result.Failure?.Kind);
        Assert.Equal("NETWORK_ERROR", result.Failure?.Code);
        Assert.Equal(Max, result.Attempts);
        Assert.Contains("ConnectionRefused", result.Failure?.Reason, StringComparison.Ordinal);
        Assert.Null(result.Response);
    }

    [Fact]
    public async Task SendAsync_ServerThatNeverAnswers_IsATimeoutTriedEveryAttempt()
    {
        await using var server = await LoopbackServer.StartAsync((context, _) => Task.Delay(Timeout.Infinite, context.RequestAborted));
        await using var host = OutboundTestHost.Create(settings: NoBreaker);

        var call = host.Client.SendAsync(Get(server), new OutboundCallOptions { Strategy = RetryStrategies.ExponentialBackoff, MaxAttempts = 3 });
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            // The attempt is at the server: only now does its 30 s timeout (fake time) run out.
            await server.WaitForRequestsAsync(attempt);
            host.Time.Advance(TimeSpan.FromSeconds(30));
        }

        using var result = await call.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(OutboundErrorKind.Timeout, result.Failure?.Kind);
        Assert.Equal("TIMEOUT_ERROR", result.Failure?.Code);
        Assert.Equal(3, result.Attempts);
        Assert.Equal(3, server.Requests);
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)], host.Time.Delays);
    }

    [Fact]
    public async Task SendAsync_ServerFailingTwiceThenAnswering_SucceedsOnTheThirdAttempt()
    {
        await using var server = await LoopbackServer.StartAsync(async (context, number) =>
        {
            context.Response.StatusCode = number <= 2 ? 503 : 200;
            await context.Response.WriteAsync($"attempt {number}");
        });
        await using var host = OutboundTestHost.Create(settings: NoBreaker);

        using var result = await host.Client.SendAsync(Get(server), Linear1s);

        Assert.True(result.IsSuccess);
        Assert.Equal(3, result.Attempts);
        Assert.Equal("attempt 3", await result.Response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task SendAsync_401WithRefreshHook_RetriesWithTheRefreshedCredential()
    {
        await using var server = await LoopbackServer.StartAsync((context, _) =>
        {
            context.Response.StatusCode = context.Request.Headers.Authorization == "Bearer fresh" ? 200 : 401;
            return Task.CompletedTask;
        });
        await using var host = OutboundTestHost.Create(settings: NoBreaker);
        var request = Get(server);
        request.Headers.Authorization = new("Bearer", "stale");
        var refreshed = 0;

        using var result = await host.Client.SendAsync(request, Linear1s with
        {
            BeforeAuthRetry = (retry, _) =>
            {
                refreshed++;
                retry.Headers.Authorization = new("Bearer", "fresh");
                return ValueTask.CompletedTask;
            },
        });

        Assert.True(result.IsSuccess, result.Failure?.Reason);
        Assert.Equal(2, result.Attempts);
        Assert.Equal(1, refreshed);
    }

    [Fact]
    public async Task SendAsync_400_KeepsTheErrorBodyForTheCaller()
    {
        await using var server = await LoopbackServer.StartAsync(async (context, _) =>
        {
            context.Response.StatusCode = 400;
            await context.Response.WriteAsync("{\"error\":\"invalid_grant\"}");
        });
        await using var host = OutboundTestHost.Create(settings: NoBreaker);

        using var result = await host.Client.SendAsync(Get(server), Linear1s);

        Assert.Equal(OutboundErrorKind.Validation, result.Failure?.Kind);
        Assert.NotNull(result.Response);
        Assert.Equal("{\"error\":\"invalid_grant\"}", await result.Response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task SendAsync_CallerCancels_Throws()
    {
        await using var server = await LoopbackServer.StartAsync((context, _) => Task.Delay(Timeout.Infinite, context.RequestAborted));
        await using var host = OutboundTestHost.Create(settings: NoBreaker);
        using var cancellation = new CancellationTokenSource();

        var call = host.Client.SendAsync(Get(server), Linear1s, cancellation.Token);
        await server.WaitForRequestsAsync(1);
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Equal(1, server.Requests);
    }

    private static readonly OutboundCallOptions Linear1s = new() { Strategy = RetryStrategies.Linear1s };

    // A breaker that cannot open within one test, so the counts are the retry strategy's alone.
    private static readonly Dictionary<string, string?> NoBreaker = new() { ["CircuitBreaker:MinimumThroughput"] = "1000" };

    private static HttpRequestMessage Get(LoopbackServer server) => new(HttpMethod.Get, server.Url());

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
