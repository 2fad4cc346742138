using Integrations.Http.Guard;
using Integrations.Http.Tests.Support;

namespace Integrations.Http.Tests.Guard;

/// <summary>
/// The guard's decision (resolve → refuse) for every refused range, in every spelling, without a socket: names go to
/// a fake resolver, never to DNS, and no connection is opened to any off-loopback address.
/// </summary>
public sealed class SsrfGuardTests
{
    private static readonly FakeHostResolver Resolver = new FakeHostResolver()
        .Map("loopback.test", "127.0.0.1")
        .Map("loopback6.test", "::1")
        .Map("internal.test", "10.0.0.1")
        .Map("metadata.test", "169.254.169.254")
        .Map("mixed.test", "93.184.216.34", "10.0.0.5")
        .Map("public.test", "93.184.216.34", "2606:4700::1");

    /// <summary>Host, the networks that allow it, and what the refusal must say.</summary>
    public static TheoryData<string, string[], string> RefusedTargets => new()
    {
        // Loopback, in every IPv4 spelling a resolver or Uri accepts.
        { "127.0.0.1", ["127.0.0.0/8"], "address 127.0.0.1 is in the loopback range (127.0.0.0/8)" },
        { "127.255.255.254", ["127.0.0.0/8"], "the loopback range (127.0.0.0/8)" },
        { "2130706433", ["127.0.0.0/8"], "address 127.0.0.1 is in the loopback range" },
        { "0x7f000001", ["127.0.0.0/8"], "address 127.0.0.1 is in the loopback range" },
        { "0X7F000001", ["127.0.0.0/8"], "address 127.0.0.1 is in the loopback range" },
        { "017700000001", ["127.0.0.0/8"], "address 127.0.0.1 is in the loopback range" },
        { "127.1", ["127.0.0.0/8"], "address 127.0.0.1 is in the loopback range" },
        { "0177.0.0.1", ["127.0.0.0/8"], "address 127.0.0.1 is in the loopback range" },
        { "0x7f.0.0.1", ["127.0.0.0/8"], "address 127.0.0.1 is in the loopback range" },
        { "127.0.0.1.", ["127.0.0.0/8"], "address 127.0.0.1 is in the loopback range" },
        { "127.000.000.001", ["127.0.0.0/8"], "address 127.0.0.1 is in the loopback range" },
        { "localhost", ["127.0.0.0/8", "::1/128"], "loopback" },
        { "localhost.", ["127.0.0.0/8", "::1/128"], "loopback" },
        { "LocalHost", ["127.0.0.0/8", "::1/128"], "loopback" },
        { "api.localhost", ["127.0.0.0/8", "::1/128"], "loopback" },
        { "loopback.test", ["127.0.0.0/8"], "address 127.0.0.1 is in the loopback range" },
        { "[::1]", ["::1/128"], "address ::1 is in the loopback address (::1/128)" },
        { "loopback6.test", ["::1/128"], "address ::1 is in the loopback address" },
        { "[::ffff:127.0.0.1]", ["127.0.0.0/8"], "address ::ffff:127.0.0.1 is the IPv4-mapped form of 127.0.0.1, which is in the loopback range (127.0.0.0/8)" },
        { "[::ffff:7f00:1]", ["127.0.0.0/8"], "IPv4-mapped form of 127.0.0.1" },
        // Private.
        { "10.0.0.1", ["10.0.0.0/8"], "address 10.0.0.1 is in a private range (10.0.0.0/8)" },
        { "10.255.255.255", ["10.0.0.0/8"], "a private range (10.0.0.0/8)" },
        { "012.0.0.1", ["10.0.0.0/8"], "address 10.0.0.1 is in a private range" },
        { "internal.test", ["10.0.0.0/8"], "address 10.0.0.1 is in a private range (10.0.0.0/8)" },
        { "[::ffff:10.0.0.1]", ["10.0.0.0/8"], "is the IPv4-mapped form of 10.0.0.1, which is in a private range (10.0.0.0/8)" },
        { "172.16.0.1", ["172.16.0.0/12"], "address 172.16.0.1 is in a private range (172.16.0.0/12)" },
        { "172.31.255.254", ["172.16.0.0/12"], "a private range (172.16.0.0/12)" },
        { "192.168.1.1", ["192.168.0.0/16"], "address 192.168.1.1 is in a private range (192.168.0.0/16)" },
        { "mixed.test", ["10.0.0.0/8"], "address 10.0.0.5 is in a private range (10.0.0.0/8)" },
        // Link-local, cloud metadata included.
        { "169.254.169.254", ["169.254.0.0/16"], "address 169.254.169.254 is in the link-local range (169.254.0.0/16)" },
        { "metadata.test", ["169.254.0.0/16"], "address 169.254.169.254 is in the link-local range" },
        { "0xa9fea9fe", ["169.254.0.0/16"], "address 169.254.169.254 is in the link-local range" },
        { "[fe80::1]", ["fe80::/10"], "address fe80::1 is in the link-local range (fe80::/10)" },
        { "[fe80::1%25eth0]", ["fe80::/10"], "the link-local range (fe80::/10)" },
        // CGNAT, unique-local, multicast, unspecified, broadcast, "this network", reserved.
        { "100.64.0.1", ["100.64.0.0/10"], "address 100.64.0.1 is in the shared address (CGNAT) range (100.64.0.0/10)" },
        { "100.127.255.254", ["100.64.0.0/10"], "CGNAT" },
        { "[fc00::1]", ["fc00::/7"], "address fc00::1 is in the unique-local range (fc00::/7)" },
        { "[fd12:3456:789a::1]", ["fc00::/7"], "the unique-local range (fc00::/7)" },
        { "224.0.0.1", ["224.0.0.0/4"], "address 224.0.0.1 is in the multicast range (224.0.0.0/4)" },
        { "239.255.255.250", ["224.0.0.0/4"], "the multicast range" },
        { "[ff02::1]", ["ff00::/8"], "address ff02::1 is in the multicast range (ff00::/8)" },
        { "0.0.0.0", ["0.0.0.0/8"], "address 0.0.0.0 is in the unspecified address (0.0.0.0/32)" },
        { "0", ["0.0.0.0/8"], "address 0.0.0.0 is in the unspecified address" },
        { "[::]", ["::/128"], "address :: is in the unspecified address (::/128)" },
        { "255.255.255.255", ["255.255.255.255/32"], "address 255.255.255.255 is in the limited broadcast address (255.255.255.255/32)" },
        { "0.1.2.3", ["0.0.0.0/8"], "address 0.1.2.3 is in the 'this network' range (0.0.0.0/8)" },
        { "240.0.0.1", ["240.0.0.0/4"], "address 240.0.0.1 is in the reserved range (240.0.0.0/4)" },
        // Documentation, benchmarking, protocol assignments.
        { "192.0.2.1", ["192.0.2.0/24"], "address 192.0.2.1 is in a documentation range (192.0.2.0/24)" },
        { "198.51.100.7", ["198.51.100.0/24"], "a documentation range (198.51.100.0/24)" },
        { "203.0.113.9", ["203.0.113.0/24"], "a documentation range (203.0.113.0/24)" },
        { "[2001:db8::1]", ["2001:db8::/32"], "address 2001:db8::1 is in a documentation range (2001:db8::/32)" },
        { "[3fff::1]", ["3fff::/20"], "a documentation range (3fff::/20)" },
        { "198.18.0.1", ["198.18.0.0/15"], "address 198.18.0.1 is in the benchmarking range (198.18.0.0/15)" },
        { "198.19.255.255", ["198.18.0.0/15"], "the benchmarking range (198.18.0.0/15)" },
        { "[2001:2::1]", ["2001:2::/48"], "the benchmarking range (2001:2::/48)" },
        { "192.0.0.8", ["192.0.0.0/24"], "the IETF protocol assignments range (192.0.0.0/24)" },
        // IPv6 forms that embed an IPv4 address, and other special IPv6 space.
        { "[::127.0.0.1]", ["::/96"], "address ::127.0.0.1 embeds 127.0.0.1, which is in the loopback range (127.0.0.0/8)" },
        { "[::8.8.8.8]", ["::/96"], "deprecated IPv4-compatible IPv6 address (::/96)" },
        { "[64:ff9b::10.0.0.1]", ["10.0.0.0/8"], "is the NAT64 (64:ff9b::/96) form of 10.0.0.1, which is in a private range (10.0.0.0/8)" },
        { "[64:ff9b::a9fe:a9fe]", ["169.254.0.0/16"], "NAT64 (64:ff9b::/96) form of 169.254.169.254, which is in the link-local range" },
        { "[64:ff9b:1::1]", ["64:ff9b:1::/48"], "the local-use NAT64 range (64:ff9b:1::/48)" },
        { "[2002:7f00:1::1]", ["127.0.0.0/8"], "is a 6to4 (2002::/16) address embedding 127.0.0.1, which is in the loopback range" },
        { "[2002:c0a8:101::1]", ["192.168.0.0/16"], "embedding 192.168.1.1, which is in a private range" },
        { "[2001:0:4136:e378:8000:63bf:3fff:fdd2]", ["2001::/32"], "the Teredo range (2001::/32)" },
        { "[100::1]", ["100::/64"], "the discard-only range (100::/64)" },
        { "[fec0::1]", ["fec0::/10"], "the deprecated site-local range (fec0::/10)" },
        { "[4000::1]", ["4000::/3"], "address 4000::1 is outside the IPv6 global unicast range (2000::/3)" },
    };

    public static TheoryData<string> PublicTargets => new()
    {
        "93.184.216.34",
        "8.8.8.8",
        "1.1.1.1",
        "[2606:4700::1]",
        "[2a00:1450:4001:81b::200e]",
        "public.test",
        "[::ffff:93.184.216.34]",
        "[64:ff9b::808:808]",
        "[2002:808:808::1]",
        "172.32.0.1",
        "100.128.0.1",
        "192.169.0.1",
        "11.0.0.1",
        "198.20.0.1",
        "223.255.255.254",
    };

    [Fact]
    public void RefusedTargets_CoverAtLeastFortyHosts()
    {
        Assert.True(RefusedTargets.Count >= 40, $"{RefusedTargets.Count} refused targets");
    }

    [Theory]
    [MemberData(nameof(RefusedTargets))]
    public async Task DecideAsync_RefusedTarget_IsRefusedWithItsRange(string host, string[] allow, string reason)
    {
        _ = allow;
        var guard = Guard();

        var decision = await guard.DecideAsync(host);

        Assert.False(decision.IsAllowed, decision.ToString());
        Assert.Contains(reason, decision.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(RefusedTargets))]
    public async Task DecideAsync_RefusedTargetWhoseNetworkIsListed_IsAllowed(string host, string[] allow, string reason)
    {
        _ = reason;
        var guard = Guard(allow);

        var decision = await guard.DecideAsync(host);

        Assert.True(decision.IsAllowed, decision.ToString());
        Assert.NotEmpty(decision.Addresses);
    }

    [Theory]
    [MemberData(nameof(RefusedTargets))]
    public async Task DecideAsync_RefusedTargetInUri_IsRefusedToo(string host, string[] allow, string reason)
    {
        _ = allow;
        _ = reason;
        var guard = Guard();

        var decision = await guard.DecideAsync(new Uri($"https://user:secret@{host}:8443/path?token=abc"));

        Assert.False(decision.IsAllowed, decision.ToString());
        Assert.DoesNotContain("secret", decision.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("token", decision.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(PublicTargets))]
    public async Task DecideAsync_PublicAddress_IsAllowedWithEmptyAllowList(string host)
    {
        var guard = Guard();

        var decision = await guard.DecideAsync(host);

        Assert.True(decision.IsAllowed, decision.ToString());
    }

    [Theory]
    [InlineData("4294967296")]
    [InlineData("1.2.3.4.5")]
    [InlineData("08")]
    [InlineData("0x")]
    [InlineData("256.0.0.1")]
    [InlineData("1.2.3.0x100")]
    [InlineData("example.123")]
    [InlineData("[::zz]")]
    public async Task DecideAsync_NumericHostThatIsNoAddress_IsRefusedEvenWhenEverythingIsAllowed(string host)
    {
        var resolver = new FakeHostResolver();
        var guard = new SsrfGuard(new NetworkPolicy([CidrNotation.Parse("0.0.0.0/0"), CidrNotation.Parse("::/0")]), resolver);

        var decision = await guard.DecideAsync(host);

        Assert.False(decision.IsAllowed, decision.ToString());
        Assert.Contains("neither a valid IP address nor a host name", decision.Reason, StringComparison.Ordinal);
        Assert.Equal(0, resolver.Lookups);
    }

    [Fact]
    public async Task DecideAsync_LocalhostName_IsNotSentToTheResolver()
    {
        var resolver = new FakeHostResolver().Map("localhost", "93.184.216.34");
        var guard = new SsrfGuard(new NetworkPolicy([]), resolver);

        var decision = await guard.DecideAsync("localhost");

        Assert.False(decision.IsAllowed);
        Assert.Equal(0, resolver.Lookups);
    }

    [Fact]
    public async Task DecideAsync_LocalhostWithOnlyIPv4LoopbackListed_IsRefusedForItsIPv6Address()
    {
        var guard = Guard(["127.0.0.0/8"]);

        var decision = await guard.DecideAsync("localhost");

        Assert.False(decision.IsAllowed);
        Assert.Contains("::1", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DecideAsync_NameWithOnePublicAndOnePrivateAddress_IsRefusedWhole()
    {
        var guard = Guard();

        var decision = await guard.DecideAsync("mixed.test");

        Assert.False(decision.IsAllowed);
        Assert.Equal(2, decision.Addresses.Count);
    }

    [Fact]
    public async Task DecideAsync_UnknownName_ThrowsLikeDns()
    {
        var guard = Guard();

        await Assert.ThrowsAsync<System.Net.Sockets.SocketException>(() => guard.DecideAsync("nowhere.test"));
    }

    [Fact]
    public async Task DecideAsync_AllowedListForOtherNetwork_StillRefuses()
    {
        var guard = Guard(["10.0.0.0/8"]);

        var decision = await guard.DecideAsync("192.168.1.1");

        Assert.False(decision.IsAllowed);
    }

    private static SsrfGuard Guard(string[]? allow = null) =>
        new(new NetworkPolicy((allow ?? []).Select(CidrNotation.Parse)), Resolver);
}
