using System.Net;
using Integrations.Core.OutboundWebhooks;
using Integrations.Http.Guard;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Integrations.Api.Tests.OutboundWebhooks;

/// <summary>The Server with <c>OutboundHttp:AllowedNetworks</c> empty, and a resolver that maps one public-looking name to loopback.</summary>
public sealed class GuardedDeliveryHub : DeliveryHub
{
    public const string RebindingHost = "hooks.rebind.example";

    protected override string? AllowedNetwork => null;

    protected override void Configure(HubFixture hub) =>
        hub.ConfigureServices = services =>
        {
            services.RemoveAll<IHostResolver>();
            services.AddSingleton<IHostResolver>(new MappedResolver());
        };

    /// <summary>DNS as an attacker would set it up: a name of theirs answering with an internal address. Nothing else resolves.</summary>
    private sealed class MappedResolver : IHostResolver
    {
        public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken = default) =>
            Task.FromResult(string.Equals(host, RebindingHost, StringComparison.OrdinalIgnoreCase) ? [IPAddress.Loopback] : Array.Empty<IPAddress>());
    }
}

/// <summary>
/// SSRF refusals: with the allow list empty, an endpoint pointing at a private, link-local or loopback address — literally or
/// through a name — gets an attempt recorded as refused by the guard's decision, before any socket exists.
/// </summary>
public sealed class DeliveryGuardTests(GuardedDeliveryHub hub) : IClassFixture<GuardedDeliveryHub>
{
    /// <summary>Off-loopback targets get the guard's decision only: no delivery is made to them, so a broken guard stays on this machine.</summary>
    [Theory]
    [InlineData("http://10.0.0.5/hook")]
    [InlineData("http://172.16.0.1/hook")]
    [InlineData("http://192.168.1.10/hook")]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    public async Task Guard_OffLoopbackPrivateTarget_WithAnEmptyAllowList_IsRefused(string url)
    {
        var decision = await hub.Hub.Services.GetRequiredService<SsrfGuard>().DecideAsync(new Uri(url));

        Assert.False(decision.IsAllowed, decision.ToString());
    }

    /// <summary>Loopback targets, literally or through a name, delivered through the Server: refused before any socket.</summary>
    public static TheoryData<string> PrivateTargets => new()
    {
        "http://[::1]:{port}{path}",
        "http://127.0.0.1:{port}{path}",
        $"http://{GuardedDeliveryHub.RebindingHost}:{{port}}{{path}}",
    };

    [Theory]
    [MemberData(nameof(PrivateTargets))]
    public async Task Deliver_PrivateTargetWithAnEmptyAllowList_IsRecordedAsRefused(string template)
    {
        // Arrange: loopback targets name the receiver's port, so a socket opened by mistake would show up there.
        var tenant = await hub.Hub.CreateTenantAsync();
        var receiverUrl = new Uri(hub.Receiver.Statuses(200));
        var url = template.Replace("{port}", receiverUrl.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{path}", receiverUrl.AbsolutePath, StringComparison.Ordinal);
        var endpoint = await hub.CreateEndpointAsync(tenant, url);

        // Act
        var message = await hub.PublishAsync(endpoint);

        // Assert
        await hub.WaitForDeliveryAsync(message, endpoint, d => d.Attempts >= 1);
        var attempt = (await hub.AttemptsAsync(message)).OrderBy(a => a.Number).First();
        Assert.Null(attempt.StatusCode);
        Assert.True(attempt.Error?.StartsWith("target_refused: ", StringComparison.Ordinal), attempt.Error);
        Assert.Empty(hub.Receiver.At(receiverUrl.ToString()));
        var delivery = await hub.WaitForDeliveryAsync(message, endpoint, d => d.State == DeliveryState.Failed);
        Assert.Equal(3, delivery.Attempts);
    }
}
