using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using Integrations.Http.Guard;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using static Integrations.Api.Tests.HubFixture;

namespace Integrations.Api.Tests.Sends;

/// <summary>
/// The Server with <c>OutboundHttp:AllowedNetworks</c> empty (the production default) and a host resolver that maps a
/// name to loopback without DNS. Each off-loopback target is first shown refused by the guard's own decision (no socket);
/// only then is it sent, and the send fails on that decision with one attempt and no retry.
/// </summary>
public sealed class SendSsrfHubFixture : IAsyncLifetime
{
    public const string LoopbackName = "loopback.sends.test";

    public HubFixture Hub { get; } = new();

    public async Task InitializeAsync()
    {
        Hub.ConfigureServices = services => services.Replace(ServiceDescriptor.Singleton<IHostResolver>(new NameToLoopback()));
        await Hub.InitializeAsync();
    }

    public Task DisposeAsync() => Hub.DisposeAsync();

    private sealed class NameToLoopback : IHostResolver
    {
        public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken = default) =>
            string.Equals(host, LoopbackName, StringComparison.OrdinalIgnoreCase)
                ? Task.FromResult(new[] { IPAddress.Loopback })
                : Task.FromException<IPAddress[]>(new SocketException((int)SocketError.HostNotFound));
    }
}

public sealed class SendSsrfTests(SendSsrfHubFixture fixture) : IClassFixture<SendSsrfHubFixture>
{
    /// <summary>Off-loopback targets: the guard's decision only — the test never sends to them, so a broken guard stays on this machine.</summary>
    [Theory]
    [InlineData("http://10.0.0.1/hook")]
    [InlineData("http://172.16.0.1/hook")]
    [InlineData("http://192.168.1.1/hook")]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    public async Task Guard_PrivateTarget_WithNoAllowList_IsRefused(string url)
    {
        var decision = await fixture.Hub.Services.GetRequiredService<SsrfGuard>().DecideAsync(new Uri(url));

        Assert.False(decision.IsAllowed, decision.ToString());
    }

    /// <summary>Loopback targets end to end through the Server: refused by the same guard, and not retried.</summary>
    [Theory]
    [InlineData("http://[::1]:9/hook")]
    [InlineData("http://127.0.0.1:9/hook")]
    [InlineData("http://" + SendSsrfHubFixture.LoopbackName + ":9/hook")]
    public async Task Send_ToALoopbackTarget_WithNoAllowList_IsRefusedByTheGuard_AndNotRetried(string url)
    {
        var guard = fixture.Hub.Services.GetRequiredService<SsrfGuard>();
        var decision = await guard.DecideAsync(new Uri(url));
        Assert.False(decision.IsAllowed, decision.ToString());
        var tenant = await fixture.Hub.CreateTenantAsync();
        using var client = fixture.Hub.Client(tenant.OwnerKey);

        var sent = await Json(await client.PostAsJsonAsync(SendsApiTests.Sends(tenant), new { url, method = "POST", retry_policy = new { attempts = 3, backoff_ms = 0 } }),
            HttpStatusCode.OK);

        Assert.Equal("failed", (string?)sent["status"]);
        var attempt = Assert.Single(sent["attempts"]!.AsArray())!;
        Assert.Null(attempt["status_code"]);
        Assert.Contains(decision.Reason!, (string?)attempt["error"], StringComparison.Ordinal);
    }
}
