using System.Globalization;
using System.Net;

namespace Integrations.Http.Guard;

/// <summary>
/// Reads a host the way the resolver and the socket layer would, so the guard vets the address that is really dialled.
/// IPv4 follows inet_aton(3) and the WHATWG URL standard's IPv4 parser: one to four parts, each decimal, octal
/// (leading 0) or hex (0x), the last part filling the remaining bytes — "2130706433", "0x7f000001", "017700000001"
/// and "127.1" are all 127.0.0.1 — and one trailing dot is allowed. <see cref="Uri"/> normalises most of these, but
/// not every spelling (it keeps "127.0.0.1." as a name), and a resolver handed such a "name" may still read it as
/// an address: so a host whose last label is numeric is an IPv4 literal or invalid, never a name sent to DNS.
/// </summary>
internal static class HostSpelling
{
    public enum Kind
    {
        Name,
        Address,
        InvalidAddress,
    }

    /// <summary>Classifies <paramref name="host"/> (as found in a URI or a DnsEndPoint) and reads its address if it is one.</summary>
    public static Kind Read(string host, out IPAddress? address, out string normalized)
    {
        address = null;
        normalized = Normalize(host);
        if (normalized.Length == 0)
        {
            return Kind.InvalidAddress;
        }

        if (normalized.Contains(':', StringComparison.Ordinal))
        {
            // Only an IPv6 literal has a colon; a zone id ("%eth0", "%25eth0" in a URI) does not change the range.
            var zone = normalized.IndexOf('%', StringComparison.Ordinal);
            var literal = zone >= 0 ? normalized[..zone] : normalized;
            return IPAddress.TryParse(literal, out address) && address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
                ? Kind.Address
                : Kind.InvalidAddress;
        }

        var dotted = normalized.EndsWith('.') ? normalized[..^1] : normalized;
        var lastLabel = dotted[(dotted.LastIndexOf('.') + 1)..];
        if (!LooksNumeric(lastLabel))
        {
            return Kind.Name;
        }

        address = ParseIPv4(dotted);
        return address is null ? Kind.InvalidAddress : Kind.Address;
    }

    /// <summary>True for the names RFC 6761 §6.3 reserves for loopback: "localhost" and anything under ".localhost".</summary>
    public static bool IsLocalhostName(string normalizedHost)
    {
        var name = normalizedHost.EndsWith('.') ? normalizedHost[..^1] : normalizedHost;
        return name.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || name.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase);
    }

    private static string Normalize(string host)
    {
        var value = host.Trim();
        if (value.Length >= 2 && value[0] == '[' && value[^1] == ']')
        {
            value = value[1..^1];
        }

        return value.Replace("%25", "%", StringComparison.Ordinal);
    }

    private static bool LooksNumeric(string label) =>
        label.Length > 0 && (label.All(char.IsAsciiDigit)
            || (label.Length >= 2 && label[0] == '0' && (label[1] == 'x' || label[1] == 'X') && label[2..].All(char.IsAsciiHexDigit)));

    private static IPAddress? ParseIPv4(string dotted)
    {
        var parts = dotted.Split('.');
        if (parts.Length > 4)
        {
            return null;
        }

        var values = new ulong[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!TryParsePart(parts[i], out values[i]))
            {
                return null;
            }
        }

        // Every part but the last is one byte; the last fills the remaining 4 - (n - 1) bytes.
        ulong result = 0;
        for (var i = 0; i < parts.Length - 1; i++)
        {
            if (values[i] > 0xFF)
            {
                return null;
            }

            result |= values[i] << (8 * (3 - i));
        }

        var lastBytes = 4 - (parts.Length - 1);
        var last = values[^1];
        if (last >= 1UL << (8 * lastBytes))
        {
            return null;
        }

        result |= last;
        return new IPAddress(
        [
            (byte)(result >> 24), (byte)(result >> 16), (byte)(result >> 8), (byte)result,
        ]);
    }

    private static bool TryParsePart(string part, out ulong value)
    {
        value = 0;
        if (part.Length == 0)
        {
            return false;
        }

        if (part.Length >= 2 && part[0] == '0' && (part[1] == 'x' || part[1] == 'X'))
        {
            // "0x" alone is 0 in the WHATWG parser; inet_aton refuses it. Refusing is the safe reading.
            return part.Length > 2 && part.Length <= 2 + 16
                && ulong.TryParse(part.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
        }

        if (!part.All(char.IsAsciiDigit) || part.Length > 20)
        {
            return false;
        }

        if (part.Length > 1 && part[0] == '0')
        {
            foreach (var digit in part.AsSpan(1))
            {
                if (digit > '7' || value > (ulong.MaxValue >> 3))
                {
                    return false;
                }

                value = (value << 3) + (uint)(digit - '0');
            }

            return true;
        }

        return ulong.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }
}
