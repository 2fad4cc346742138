using Integrations.Http.Limits;
using Integrations.Http.Resilience;
using Integrations.Http.Tests.Support;
using Microsoft.AspNetCore.Http;

namespace Integrations.Http.Tests.Limits;

/// <summary>OutboundHttp:MaxResponseBytes against a loopback server, with and without a Content-Length.</summary>
public sealed class ResponseSizeLimitTests
{
    private const int Cap = 1024;

    private static readonly Dictionary<string, string?> Settings = new() { ["MaxResponseBytes"] = Cap.ToString(System.Globalization.CultureInfo.InvariantCulture) };

    [Fact]
    public async Task SendAsync_DeclaredLengthOverTheCap_FailsClearlyWithoutRetry()
    {
        await using var server = await LoopbackServer.StartAsync(async (context, _) =>
        {
            context.Response.ContentLength = Cap + 1;
            await context.Response.Body.WriteAsync(new byte[Cap + 1]);
        });
        await using var host = OutboundTestHost.Create(settings: Settings);

        using var result = await host.Client.SendAsync(new(HttpMethod.Get, server.Url()));

        Assert.Equal(OutboundErrorKind.ResponseTooLarge, result.Failure?.Kind);
        Assert.Equal("RESPONSE_TOO_LARGE", result.Failure?.Code);
        Assert.Contains("OutboundHttp:MaxResponseBytes (1024 bytes)", result.Failure?.Reason, StringComparison.Ordinal);
        Assert.Equal(1, server.Requests);
        Assert.Null(result.Response);
    }

    [Fact]
    public async Task SendAsync_ChunkedBodyOverTheCap_IsCutAndFails()
    {
        await using var server = await LoopbackServer.StartAsync(async (context, _) =>
        {
            // No Content-Length: Kestrel sends it chunked, so only counting the bytes can catch it.
            for (var i = 0; i < 8; i++)
            {
                await context.Response.Body.WriteAsync(new byte[512]);
                await context.Response.Body.FlushAsync();
            }
        });
        await using var host = OutboundTestHost.Create(settings: Settings);

        using var result = await host.Client.SendAsync(new(HttpMethod.Get, server.Url()));

        Assert.Equal(OutboundErrorKind.ResponseTooLarge, result.Failure?.Kind);
        Assert.Equal(1, server.Requests);
    }

    [Fact]
    public async Task SendAsync_BodyExactlyAtTheCap_IsRead()
    {
        await using var server = await LoopbackServer.StartAsync(async (context, _) =>
        {
            await context.Response.Body.WriteAsync(new byte[Cap]);
        });
        await using var host = OutboundTestHost.Create(settings: Settings);

        using var result = await host.Client.SendAsync(new(HttpMethod.Get, server.Url()));

        Assert.True(result.IsSuccess, result.Failure?.Reason);
        Assert.Equal(Cap, (await result.Response.Content.ReadAsByteArrayAsync()).Length);
    }

    [Fact]
    public async Task SizeLimitedStream_ReadPastTheCap_Throws()
    {
        await using var stream = new SizeLimitedStream(new MemoryStream(new byte[10]), 9);
        var buffer = new byte[16];

        var exception = await Assert.ThrowsAsync<OutboundResponseTooLargeException>(async () =>
        {
            while (await stream.ReadAsync(buffer) > 0)
            {
            }
        });

        Assert.Equal(9, exception.MaxBytes);
    }
}
