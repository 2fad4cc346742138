namespace Integrations.Core.Connections.Proxy;

/// <summary>
/// Which headers the proxy forwards. Headers are name/value pairs; a name may repeat (one entry per value or a
/// comma-joined value, both work). Names compare ignoring case (RFC 9110 §5.1).
/// </summary>
/// <remarks>
/// Hop-by-hop headers (RFC 9110 §7.6.1: <c>Connection</c> and every header it names, <c>Keep-Alive</c>,
/// <c>Proxy-Connection</c>, <c>Proxy-Authenticate</c>, <c>Proxy-Authorization</c>, <c>TE</c>, <c>Trailer</c>,
/// <c>Transfer-Encoding</c>, <c>Upgrade</c>) describe one connection and are dropped both ways. Requests also lose
/// the caller's credentials for the hub (<c>Authorization</c>, <c>Cookie</c>), <c>Host</c>, the framing the transport
/// sets itself (<c>Content-Length</c>, <c>Expect</c>), what the hub's front end adds (<c>Forwarded</c>,
/// <c>X-Forwarded-*</c>, <c>X-Real-IP</c>) and the hub's own headers (<c>Hub-*</c>, <c>X-Hub-*</c>,
/// <c>X-Principal-Id</c>). Responses also lose <c>Alt-Svc</c> (it advertises the upstream's origin, not the hub's)
/// and any <c>Hub-*</c>/<c>X-Hub-*</c> header an upstream sends, so it cannot pose as the hub's <c>X-Hub-Attempts</c>.
/// </remarks>
public static class ProxyHeaders
{
    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Proxy-Connection", "Proxy-Authenticate", "Proxy-Authorization", "TE", "Trailer", "Transfer-Encoding", "Upgrade",
    };

    private static readonly HashSet<string> RequestOnly = new(StringComparer.OrdinalIgnoreCase)
    {
        "Authorization", "Cookie", "Host", "Content-Length", "Expect", "Forwarded", "X-Real-IP", "X-Principal-Id",
    };

    private static readonly string[] RequestPrefixes = ["X-Forwarded-", "Hub-", "X-Hub-"];

    private static readonly string[] HubPrefixes = ["Hub-", "X-Hub-"];

    /// <summary>Whether <paramref name="name"/> is one of the fixed hop-by-hop headers (not counting those a <c>Connection</c> header names).</summary>
    public static bool IsHopByHop(string name) => HopByHop.Contains(name);

    /// <summary>The caller's headers that go to the upstream (before the connection's default and credential headers are added).</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> ForRequest(IEnumerable<KeyValuePair<string, string>> headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var list = headers.ToList();
        var named = ConnectionNamed(list);
        return list.Where(header => !HopByHop.Contains(header.Key) && !named.Contains(header.Key) && !RequestOnly.Contains(header.Key)
            && !RequestPrefixes.Any(prefix => header.Key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))).ToList();
    }

    /// <summary>The upstream's headers that go back to the caller.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> ForResponse(IEnumerable<KeyValuePair<string, string>> headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var list = headers.ToList();
        var named = ConnectionNamed(list);
        return list.Where(header => !HopByHop.Contains(header.Key) && !named.Contains(header.Key)
            && !string.Equals(header.Key, "Alt-Svc", StringComparison.OrdinalIgnoreCase)
            && !HubPrefixes.Any(prefix => header.Key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))).ToList();
    }

    /// <summary>Whether a header the connection's configuration or a credential adds may be sent (not hop-by-hop, not Host).</summary>
    public static bool MayConfigure(string name) =>
        !string.IsNullOrWhiteSpace(name) && !HopByHop.Contains(name) && !string.Equals(name, "Host", StringComparison.OrdinalIgnoreCase)
        && !string.Equals(name, "Content-Length", StringComparison.OrdinalIgnoreCase);

    // RFC 9110 §7.6.1: "Connection: close, X-Foo" makes X-Foo hop-by-hop too.
    private static HashSet<string> ConnectionNamed(List<KeyValuePair<string, string>> headers)
    {
        var named = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in headers)
        {
            if (string.Equals(header.Key, "Connection", StringComparison.OrdinalIgnoreCase) || string.Equals(header.Key, "Proxy-Connection", StringComparison.OrdinalIgnoreCase))
            {
                foreach (var token in (header.Value ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                {
                    named.Add(token);
                }
            }
        }

        return named;
    }
}
