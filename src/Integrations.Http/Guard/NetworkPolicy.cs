using System.Net;
using System.Net.Sockets;

namespace Integrations.Http.Guard;

/// <summary>
/// Decides one address: refused when it is in a <see cref="SpecialRanges"/> range — judged by the IPv4 address it
/// embeds for the IPv4-mapped, IPv4-compatible, NAT64 and 6to4 forms — unless an allowed network contains it.
/// </summary>
internal sealed class NetworkPolicy
{
    private readonly IPNetwork[] _allowed;

    public NetworkPolicy(IEnumerable<IPNetwork> allowed)
    {
        _allowed = [.. allowed];
    }

    public IReadOnlyList<IPNetwork> Allowed => _allowed;

    /// <summary>Null when <paramref name="address"/> may be connected to; otherwise why not.</summary>
    public string? Refusal(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (IsListed(address))
        {
            return null;
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return SpecialRanges.Find(SpecialRanges.IPv4, address)?.Describe(address);
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return $"address {address} is not an IP address";
        }

        // A dual-stack socket dials ::ffff:a.b.c.d as a.b.c.d: it is that IPv4 address, with its rules.
        if (address.IsIPv4MappedToIPv6)
        {
            return Embedded(address, address.MapToIPv4(), "is the IPv4-mapped form of");
        }

        if (SpecialRanges.Find(SpecialRanges.IPv6, address) is { } range)
        {
            return range.Describe(address);
        }

        var bytes = address.GetAddressBytes();
        if (SpecialRanges.IPv4Compatible.Contains(address))
        {
            // RFC 4291 §2.5.5.1 deprecated these; nothing legitimate uses them, so a public embedded address is refused too.
            return Embedded(address, new IPAddress(bytes.AsSpan(12, 4)), "embeds")
                ?? $"address {address} is a deprecated IPv4-compatible IPv6 address (::/96)";
        }

        if (SpecialRanges.Nat64.Contains(address))
        {
            // RFC 6052: a NAT64 gateway forwards to the embedded IPv4 address; a public one is a normal target.
            return Embedded(address, new IPAddress(bytes.AsSpan(12, 4)), "is the NAT64 (64:ff9b::/96) form of");
        }

        if (SpecialRanges.SixToFour.Contains(address))
        {
            // RFC 3056 §2: 2002:V4ADDR::/48, the IPv4 address in bits 16–47.
            return Embedded(address, new IPAddress(bytes.AsSpan(2, 4)), "is a 6to4 (2002::/16) address embedding");
        }

        return SpecialRanges.GlobalUnicast.Contains(address)
            ? null
            : $"address {address} is outside the IPv6 global unicast range ({SpecialRanges.GlobalUnicast})";
    }

    private string? Embedded(IPAddress outer, IPAddress v4, string relation)
    {
        if (IsListed(v4))
        {
            return null;
        }

        return SpecialRanges.Find(SpecialRanges.IPv4, v4) is { } range
            ? $"address {outer} {relation} {v4}, which is in {range.Description} ({range.Network})"
            : null;
    }

    private bool IsListed(IPAddress address)
    {
        foreach (var network in _allowed)
        {
            if (network.BaseAddress.AddressFamily == address.AddressFamily && network.Contains(address))
            {
                return true;
            }
        }

        return false;
    }
}
