using System.Net;

namespace Integrations.Http.Guard;

/// <summary>
/// The ranges an outbound call may not reach unless <c>OutboundHttp:AllowedNetworks</c> lists them: everything in the
/// IANA special-purpose registries (RFC 6890 and its updates) that is not globally reachable, plus multicast and
/// reserved space. Order matters only for the message: the narrowest range is listed first.
/// </summary>
internal static class SpecialRanges
{
    /// <summary>IPv4: RFC 6890 §2.2.2, RFC 6598 (CGNAT), RFC 5737 (documentation), RFC 2544 (benchmarking), RFC 5771, RFC 1112.</summary>
    public static readonly IReadOnlyList<SpecialRange> IPv4 =
    [
        new("255.255.255.255/32", "the limited broadcast address"),
        new("0.0.0.0/32", "the unspecified address"),
        new("0.0.0.0/8", "the 'this network' range"),
        new("10.0.0.0/8", "a private range"),
        new("100.64.0.0/10", "the shared address (CGNAT) range"),
        new("127.0.0.0/8", "the loopback range"),
        new("169.254.0.0/16", "the link-local range"),
        new("172.16.0.0/12", "a private range"),
        new("192.0.0.0/24", "the IETF protocol assignments range"),
        new("192.0.2.0/24", "a documentation range"),
        new("192.88.99.0/24", "the deprecated 6to4 relay anycast range"),
        new("192.168.0.0/16", "a private range"),
        new("198.18.0.0/15", "the benchmarking range"),
        new("198.51.100.0/24", "a documentation range"),
        new("203.0.113.0/24", "a documentation range"),
        new("224.0.0.0/4", "the multicast range"),
        new("240.0.0.0/4", "the reserved range"),
    ];

    /// <summary>
    /// IPv6 ranges refused whole. The forms that embed an IPv4 address (::ffff:0:0/96, ::/96, 64:ff9b::/96, 2002::/16)
    /// are judged by the address they embed, in <see cref="NetworkPolicy"/>.
    /// </summary>
    public static readonly IReadOnlyList<SpecialRange> IPv6 =
    [
        new("::/128", "the unspecified address"),
        new("::1/128", "the loopback address"),
        new("64:ff9b:1::/48", "the local-use NAT64 range"),
        new("100::/64", "the discard-only range"),
        new("2001::/32", "the Teredo range"),
        new("2001:2::/48", "the benchmarking range"),
        new("2001:20::/28", "the ORCHIDv2 range"),
        new("2001:db8::/32", "a documentation range"),
        new("3fff::/20", "a documentation range"),
        new("5f00::/16", "the SRv6 SID range"),
        new("fc00::/7", "the unique-local range"),
        new("fe80::/10", "the link-local range"),
        new("fec0::/10", "the deprecated site-local range"),
        new("ff00::/8", "the multicast range"),
    ];

    public static readonly IPNetwork IPv4Compatible = CidrNotation.Parse("::/96");

    public static readonly IPNetwork Nat64 = CidrNotation.Parse("64:ff9b::/96");

    public static readonly IPNetwork SixToFour = CidrNotation.Parse("2002::/16");

    /// <summary>RFC 4291 §2.4: global unicast. IPv6 outside it (and outside the forms above) is unassigned or special.</summary>
    public static readonly IPNetwork GlobalUnicast = CidrNotation.Parse("2000::/3");

    public static SpecialRange? Find(IReadOnlyList<SpecialRange> table, IPAddress address)
    {
        foreach (var range in table)
        {
            if (range.Network.Contains(address))
            {
                return range;
            }
        }

        return null;
    }
}
