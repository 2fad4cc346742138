using Integrations.Core.Connections.Proxy;
using Integrations.Http.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Integrations.Http.Tests.Proxy;

/// <summary>Redirects come back to the caller, never followed: a webhook delivery counts a 3xx as a failed attempt.</summary>
public sealed class ProxyRedirectTests
{
    private static readonly Dictionary<string, string?> NoBreaker = new() { ["CircuitBreaker:MinimumThroughput"] = "1000" };

    [Theory]
    [InlineData(302)]
    [InlineData(307)]
    [InlineData(308)]
    public async Task SendAsync_Redirect_IsReturnedNotFollowed(int status)
    {
        // Arrange: the receiver answers with a redirect to a second loopback server that counts hits: following it would
        // show there, and a broken rule still sends nothing off this machine.
        await using var elsewhere = await LoopbackServer.StartAsync((context, _) => Task.CompletedTask);
        var location = elsewhere.Url("/internal").ToString();
        await using var server = await LoopbackServer.StartAsync((context, _) =>
        {
            context.Response.StatusCode = status;
            context.Response.Headers.Location = location;
            return Task.CompletedTask;
        });
        await using var host = OutboundTestHost.Create(settings: NoBreaker);
        using var body = new MemoryStream("""{"type":"x"}"""u8.ToArray());

        // Act: as the delivery job sends: POST, one attempt.
        await using var response = await host.Services.GetRequiredService<IProxyTransport>().SendAsync(new ProxyRequest
        {
            Method = "POST",
            Target = server.Url("/hook"),
            Body = body,
            BodyLength = body.Length,
            CircuitKey = "wep_test",
            MaxAttempts = 1,
            AttemptTimeout = TimeSpan.FromSeconds(30),
        });

        // Assert
        Assert.True(response.HasResponse);
        Assert.Equal(status, response.StatusCode);
        Assert.Contains(KeyValuePair.Create("Location", location), response.Headers);
        Assert.Equal(1, server.Requests);
        Assert.Equal(0, elsewhere.Requests);
        Assert.Equal(1, response.Attempts);
    }
}
