using Integrations.Http.Guard;

namespace Integrations.Http.Tests.Guard;

public sealed class HostSpellingTests
{
    [Theory]
    [InlineData("2130706433", "127.0.0.1")]
    [InlineData("0x7f000001", "127.0.0.1")]
    [InlineData("017700000001", "127.0.0.1")]
    [InlineData("127.1", "127.0.0.1")]
    [InlineData("127.0.1", "127.0.0.1")]
    [InlineData("0177.0.0.1", "127.0.0.1")]
    [InlineData("0x7f.0x0.0x0.0x1", "127.0.0.1")]
    [InlineData("127.0.0.1.", "127.0.0.1")]
    [InlineData("10.0.0.1", "10.0.0.1")]
    [InlineData("0", "0.0.0.0")]
    [InlineData("4294967295", "255.255.255.255")]
    [InlineData("[::1]", "::1")]
    [InlineData("[::ffff:127.0.0.1]", "::ffff:127.0.0.1")]
    [InlineData("fe80::1%25eth0", "fe80::1")]
    public void Read_AddressSpelling_IsTheAddressDialled(string host, string expected)
    {
        var kind = HostSpelling.Read(host, out var address, out _);

        Assert.Equal(HostSpelling.Kind.Address, kind);
        Assert.Equal(System.Net.IPAddress.Parse(expected), address);
    }

    [Theory]
    [InlineData("example.com")]
    [InlineData("1e100.net")]
    [InlineData("localhost")]
    [InlineData("xn--bcher-kva.example.")]
    [InlineData("0x7f000001.example")]
    public void Read_HostName_IsAName(string host)
    {
        Assert.Equal(HostSpelling.Kind.Name, HostSpelling.Read(host, out _, out _));
    }

    [Theory]
    [InlineData("4294967296")]
    [InlineData("1.2.3.4.5")]
    [InlineData("09")]
    [InlineData("0x")]
    [InlineData("1.256.0.1")]
    [InlineData("")]
    [InlineData("[]")]
    public void Read_NumericHostThatIsNoAddress_IsInvalid(string host)
    {
        Assert.Equal(HostSpelling.Kind.InvalidAddress, HostSpelling.Read(host, out var address, out _));
        Assert.Null(address);
    }

    [Theory]
    [InlineData("localhost", true)]
    [InlineData("LOCALHOST.", true)]
    [InlineData("a.b.localhost", true)]
    [InlineData("localhost.example", false)]
    [InlineData("notlocalhost", false)]
    public void IsLocalhostName_Rfc6761Names_AreLoopback(string host, bool expected)
    {
        Assert.Equal(expected, HostSpelling.IsLocalhostName(host));
    }
}
