using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Integrations.Client.Tests;

/// <summary>Retries: 429 and 503 only, honouring Retry-After; never another status. Both the standalone client and the DI one.</summary>
public sealed class ResilienceTests
{
    private static IntegrationsHubClient Client(ScriptedHub stub, int maxRetries = 3) => new(new IntegrationsHubClientOptions
    {
        BaseAddress = stub.BaseAddress, ApiKey = "ihk_test", MaxRetries = maxRetries, RetryDelay = TimeSpan.FromMilliseconds(10),
    });

    [Fact]
    public async Task List_503WithRetryAfter_WaitsThatLongThenSucceeds()
    {
        using var stub = new ScriptedHub().Then(503, retryAfter: "1");
        using var client = Client(stub);
        var clock = Stopwatch.StartNew();

        var page = await client.Secrets.ListAsync("prj_1");

        Assert.Empty(page.Data);
        Assert.Equal(2, stub.Requests);
        // The client's own backoff is 10 ms here: only Retry-After explains a wait of about a second.
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(900), $"retried after {clock.Elapsed.TotalMilliseconds:F0} ms");
    }

    [Fact]
    public async Task List_429Twice_RetriedThenSucceeds()
    {
        using var stub = new ScriptedHub().Then(429, "0").Then(429, "0");
        using var client = Client(stub);

        await client.Secrets.ListAsync("prj_1");

        Assert.Equal(3, stub.Requests);
    }

    [Fact]
    public async Task List_429BeyondTheRetries_ThrowsRateLimitedExceptionAfterMaxRetriesPlusOne()
    {
        using var stub = new ScriptedHub().Then(429, "0").Then(429, "0").Then(429, "0");
        using var client = Client(stub, maxRetries: 2);

        var error = await Assert.ThrowsAsync<HubRateLimitedException>(() => client.Secrets.ListAsync("prj_1"));

        Assert.Equal(3, stub.Requests);
        Assert.Equal(TimeSpan.Zero, error.RetryAfter);
        Assert.Equal("00-scripted-00", error.TraceId);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(403)]
    [InlineData(404)]
    [InlineData(409)]
    [InlineData(412)]
    [InlineData(413)]
    [InlineData(500)]
    [InlineData(502)]
    public async Task List_OtherErrorStatus_NotRetried(int status)
    {
        using var stub = new ScriptedHub().Then(status, "0");
        using var client = Client(stub);

        var error = await Assert.ThrowsAnyAsync<IntegrationsHubException>(() => client.Secrets.ListAsync("prj_1"));

        Assert.Equal(1, stub.Requests);
        Assert.Equal((HttpStatusCode)status, error.Status);
        Assert.Equal("scripted", error.Code);
    }

    [Fact]
    public async Task AddIntegrationsHubClient_FromConfiguration_RetriesA503ThroughTheHttpClientFactory()
    {
        using var stub = new ScriptedHub().Then(503, "0");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["IntegrationsHub:BaseAddress"] = stub.BaseAddress.AbsoluteUri, ["IntegrationsHub:ApiKey"] = "ihk_test", ["IntegrationsHub:RetryDelay"] = "00:00:00.010",
        }).Build();
        var services = new ServiceCollection().AddIntegrationsHubClient(configuration.GetSection(IntegrationsHubClientOptions.SectionName));
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<IntegrationsHubClient>();

        await client.Secrets.ListAsync("prj_1");

        Assert.Same(client, provider.GetRequiredService<IntegrationsHubClient>());
        Assert.Equal(2, stub.Requests);
    }

    [Theory]
    [InlineData(null, "ihk_test", "BaseAddress")]
    [InlineData("http://hub.example.com", "ihk_test", "https")]
    [InlineData("https://hub.example.com", "", "ApiKey")]
    public async Task AddIntegrationsHubClient_InvalidOptions_HostFailsAtStart(string? baseAddress, string apiKey, string named)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddIntegrationsHubClient(o =>
        {
            o.BaseAddress = baseAddress is null ? null : new Uri(baseAddress);
            o.ApiKey = apiKey;
        });
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_InvalidOptions_ThrowsArgumentException()
    {
        Assert.Throws<ArgumentException>(() => new IntegrationsHubClient(new Uri("https://hub.example.com"), " "));
    }
}
