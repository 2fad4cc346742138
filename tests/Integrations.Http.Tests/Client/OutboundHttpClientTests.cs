using System.Text;
using Integrations.Http.Client;
using Integrations.Http.Resilience;
using Integrations.Http.Tests.Support;
using Microsoft.AspNetCore.Http;

namespace Integrations.Http.Tests.Client;

public sealed class OutboundHttpClientTests
{
    [Fact]
    public async Task SendAsync_Redirect_IsReturnedNotFollowed()
    {
        await using var server = await LoopbackServer.StartAsync((context, _) =>
        {
            if (context.Request.Path == "/start")
            {
                context.Response.StatusCode = 302;
                context.Response.Headers.Location = "/landing";
            }

            return Task.CompletedTask;
        });
        await using var host = OutboundTestHost.Create();

        using var result = await host.Client.SendAsync(new(HttpMethod.Get, server.Url("/start")));

        Assert.True(result.IsSuccess);
        Assert.Equal(System.Net.HttpStatusCode.Found, result.Response.StatusCode);
        Assert.Equal("/landing", result.Response.Headers.Location?.OriginalString);
        Assert.Equal(1, server.Requests);
    }

    [Fact]
    public async Task SendAsync_PostWithBody_SendsTheBodyOnEveryAttempt()
    {
        var bodies = new List<string>();
        await using var server = await LoopbackServer.StartAsync(async (context, number) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            lock (bodies)
            {
                bodies.Add(reader.ReadToEndAsync().GetAwaiter().GetResult());
            }

            context.Response.StatusCode = number == 1 ? 503 : 200;
            await context.Response.WriteAsync("ok");
        });
        await using var host = OutboundTestHost.Create();
        var request = new HttpRequestMessage(HttpMethod.Post, server.Url())
        {
            Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes("grant_type=refresh_token"))),
        };

        using var result = await host.Client.SendAsync(request, new() { Strategy = RetryStrategies.Linear1s });

        Assert.True(result.IsSuccess, result.Failure?.Reason);
        Assert.Equal(["grant_type=refresh_token", "grant_type=refresh_token"], bodies);
    }

    [Fact]
    public async Task SendAsync_FailingCallWithCredentials_LogsNoCredentialOrBody()
    {
        await using var server = await LoopbackServer.StatusAsync(500);
        await using var host = OutboundTestHost.Create();
        var request = new HttpRequestMessage(HttpMethod.Post, server.Url("/token?access_token=QUERY-SECRET"))
        {
            Content = new StringContent("client_secret=BODY-SECRET"),
        };
        request.Headers.Authorization = new("Bearer", "HEADER-SECRET");

        using var result = await host.Client.SendAsync(request, new() { Strategy = RetryStrategies.Linear1s, TargetKey = "conn_logs" });

        Assert.Equal(OutboundErrorKind.Server, result.Failure?.Kind);
        Assert.Contains(host.Logs.Entries, entry => entry.EventId.Id == 7002);
        Assert.Contains(host.Logs.Entries, entry => entry.EventId.Id == 7003 && entry.Message.Contains("SERVER_ERROR", StringComparison.Ordinal));
        Assert.All(host.Logs.Entries, entry =>
        {
            var text = entry.Message + entry.Values;
            Assert.DoesNotContain("SECRET", text, StringComparison.Ordinal);
            Assert.DoesNotContain("/token", text, StringComparison.Ordinal);
        });
        Assert.DoesNotContain(host.Logs.Entries, entry => entry.Category.StartsWith("System.Net.Http.HttpClient", StringComparison.Ordinal));
        Assert.DoesNotContain("SECRET", result.Failure?.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_LogEvents_UseTheAdaptersIdRange()
    {
        await using var server = await LoopbackServer.StatusAsync(503);
        await using var host = OutboundTestHost.Create();

        using var result = await host.Client.SendAsync(new(HttpMethod.Get, server.Url()), new() { Strategy = RetryStrategies.Linear1s, MaxAttempts = 2 });

        var adapterEvents = host.Logs.Entries.Where(entry => entry.Category.StartsWith("Integrations.Http", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(adapterEvents);
        Assert.All(adapterEvents, entry => Assert.InRange(entry.EventId.Id, 7000, 7099));
    }

    [Theory]
    [InlineData("ftp://127.0.0.1/file")]
    [InlineData("file:///etc/passwd")]
    public async Task SendAsync_NonHttpUri_Throws(string uri)
    {
        await using var host = OutboundTestHost.Create();

        await Assert.ThrowsAsync<ArgumentException>(() => host.Client.SendAsync(new(HttpMethod.Get, uri)));
    }

    [Fact]
    public async Task SendAsync_RelativeUri_Throws()
    {
        await using var host = OutboundTestHost.Create();

        await Assert.ThrowsAsync<ArgumentException>(() => host.Client.SendAsync(new(HttpMethod.Get, new Uri("/relative", UriKind.Relative))));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    public async Task SendAsync_MaxAttemptsOutsideTheStrategy_Throws(int maxAttempts)
    {
        await using var host = OutboundTestHost.Create();

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            host.Client.SendAsync(new(HttpMethod.Get, "http://127.0.0.1:1/"), new() { Strategy = RetryStrategies.Linear2s, MaxAttempts = maxAttempts }));
    }

    [Fact]
    public async Task SendAsync_UnknownStrategy_Throws()
    {
        await using var host = OutboundTestHost.Create();

        await Assert.ThrowsAsync<ArgumentException>(() =>
            host.Client.SendAsync(new(HttpMethod.Get, "http://127.0.0.1:1/"), new() { Strategy = "linear_10s" }));
    }
}
