using Integrations.Http.Client;
using Integrations.Http.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Integrations.Http.Tests.Hosting;

public sealed class OutboundHttpOptionsTests
{
    [Theory]
    [InlineData("AllowedNetworks:0", "10.0.0.300/8", "OutboundHttp:AllowedNetworks:0 ('10.0.0.300/8') is not a CIDR network")]
    [InlineData("AllowedNetworks:0", "10.0.0.0", "OutboundHttp:AllowedNetworks:0 ('10.0.0.0') is not a CIDR network")]
    [InlineData("AllowedNetworks:0", "10.0.0.1/8", "OutboundHttp:AllowedNetworks:0 ('10.0.0.1/8') is not a CIDR network")]
    [InlineData("AllowedNetworks:0", "10.0.0.0/33", "OutboundHttp:AllowedNetworks:0")]
    [InlineData("AllowedNetworks:0", "intranet", "OutboundHttp:AllowedNetworks:0 ('intranet')")]
    [InlineData("Timeout", "00:00:00", "OutboundHttp:Timeout must be greater than zero")]
    [InlineData("ConnectTimeout", "00:01:00", "OutboundHttp:ConnectTimeout must be greater than zero and at most OutboundHttp:Timeout")]
    [InlineData("MaxResponseBytes", "0", "OutboundHttp:MaxResponseBytes must be between 1 and")]
    [InlineData("PooledConnectionLifetime", "-00:00:01", "OutboundHttp:PooledConnectionLifetime must be greater than zero")]
    [InlineData("MaxRetryAfter", "-00:00:01", "OutboundHttp:MaxRetryAfter must not be negative")]
    [InlineData("CircuitBreaker:FailureRatio", "1.5", "OutboundHttp:CircuitBreaker:FailureRatio must be greater than 0 and at most 1")]
    [InlineData("CircuitBreaker:MinimumThroughput", "1", "OutboundHttp:CircuitBreaker:MinimumThroughput must be at least 2")]
    [InlineData("CircuitBreaker:BreakDuration", "00:00:00.1", "OutboundHttp:CircuitBreaker:BreakDuration must be at least")]
    [InlineData("CircuitBreaker:SamplingDuration", "00:00:00.1", "OutboundHttp:CircuitBreaker:SamplingDuration must be at least")]
    public async Task Start_InvalidSetting_StopsWithAMessageNamingIt(string key, string value, string message)
    {
        using var host = Host(new() { ["OutboundHttp:" + key] = value });

        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(message, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_ValidAllowList_Starts()
    {
        using var host = Host(new()
        {
            ["OutboundHttp:AllowedNetworks:0"] = "127.0.0.0/8",
            ["OutboundHttp:AllowedNetworks:1"] = "fd00:1::/64",
            ["OutboundHttp:AllowedNetworks:2"] = "10.20.30.40/32",
        });

        await host.StartAsync();
        var options = host.Services.GetRequiredService<IOptions<OutboundHttpOptions>>().Value;
        await host.StopAsync();

        Assert.Equal(["127.0.0.0/8", "fd00:1::/64", "10.20.30.40/32"], options.AllowedNetworks);
    }

    [Fact]
    public void Defaults_WithoutSection_AreTheDocumentedOnes()
    {
        using var host = Host([]);

        var options = host.Services.GetRequiredService<IOptions<OutboundHttpOptions>>().Value;

        Assert.Empty(options.AllowedNetworks);
        Assert.Equal(TimeSpan.FromSeconds(10), options.ConnectTimeout);
        Assert.Equal(TimeSpan.FromSeconds(30), options.Timeout);
        Assert.Equal(10 * 1024 * 1024, options.MaxResponseBytes);
        Assert.Equal(TimeSpan.FromMinutes(2), options.PooledConnectionLifetime);
        Assert.Equal(TimeSpan.FromSeconds(60), options.MaxRetryAfter);
    }

    [Fact]
    public void AddIntegrationsHttp_CalledTwice_RegistersOnce()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());

        services.AddIntegrationsHttp();
        var count = services.Count;
        services.AddIntegrationsHttp();

        Assert.Equal(count, services.Count);
        Assert.Single(services, descriptor => descriptor.ServiceType == typeof(OutboundHttpClient));
    }

    private static IHost Host(Dictionary<string, string?> settings)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddIntegrationsHttp();
        return builder.Build();
    }
}
