using System.Net;

namespace Integrations.Http.Guard;

/// <summary>Strict CIDR reading for configuration: an address, a slash and a prefix length, with no bits set past the prefix.</summary>
internal static class CidrNotation
{
    public static bool TryParse(string? text, out IPNetwork network)
    {
        network = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || !IPAddress.TryParse(text.AsSpan(0, slash), out var address) || !IPNetwork.TryParse(text, out network))
        {
            return false;
        }

        // .NET masks "10.0.0.1/8" to 10.0.0.0/8 silently; in an allow list that is more likely a typo for a /32
        // than a wish to open the whole /8, so it is refused and the message says what to write.
        return network.BaseAddress.Equals(address);
    }

    public static IPNetwork Parse(string text) =>
        TryParse(text, out var network) ? network : throw new FormatException($"'{text}' is not a CIDR network such as 10.0.0.0/8.");
}
