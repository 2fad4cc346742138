using System.Buffers;
using System.Globalization;
using System.Text;

namespace Integrations.Core.Connections.Proxy;

/// <summary>
/// Joins the path a caller sends to the proxy (<c>{**path}</c>, still percent-encoded as it arrived) under a
/// connection's base URL, so the forwarded request can never leave the base path and the policy sees the same path
/// the upstream will act on.
/// </summary>
/// <remarks>
/// <para>Dot segments are removed as RFC 3986 §5.2.4 does, after decoding <c>%2E</c> (RFC 3986 §2.3: an encoded
/// unreserved character is the character itself — servers treat <c>%2e%2e</c> as <c>..</c>). A <c>..</c> that would
/// climb above the base path is refused rather than clamped: a caller who writes it means something the connection
/// does not allow.</para>
/// <para>Refused as ambiguous (servers disagree on what they mean, which is how path-based rules are bypassed):
/// <c>%2F</c> and <c>%5C</c> (a separator for some servers, data for others), a raw backslash, NUL, malformed escapes
/// and non-UTF-8 bytes, and <c>..;x</c> (Tomcat and Jetty read path parameters off before resolving dots).</para>
/// <para>Empty segments (<c>a//b</c>) are collapsed (nginx merges slashes by default); a trailing slash is kept.
/// The forwarded path is re-encoded canonically (RFC 3986 §6.2.2: unreserved characters decoded, hex digits upper
/// case, reserved characters left as the caller encoded them), so what the policy matched is what is sent.</para>
/// <para>Pass the raw request target, not a decoded route value: ASP.NET Core decodes and resolves dot segments
/// before routing, and decoding twice would turn <c>%252e</c> into a dot.</para>
/// </remarks>
public static class ProxyPath
{
    private const string SubDelimiters = "!$&'()*+,;=:@";

    /// <summary>Resolves <paramref name="path"/> (and forwards <paramref name="query"/> as given) below <paramref name="baseUrl"/>.</summary>
    /// <param name="baseUrl">The connection's base URL: absolute http or https. Its path is the root the caller cannot leave; its query, if any, is kept first.</param>
    /// <param name="path">The caller's path below the proxy route, percent-encoded as received; a leading slash is optional.</param>
    /// <param name="query">The caller's query string, with or without the leading <c>?</c>; forwarded unchanged.</param>
    /// <exception cref="ArgumentException"><paramref name="baseUrl"/> is not an absolute http or https URL (a configuration error, not the caller's).</exception>
    public static ProxyPathResult Resolve(Uri baseUrl, string? path, string? query = null)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        if (!baseUrl.IsAbsoluteUri || (baseUrl.Scheme != Uri.UriSchemeHttp && baseUrl.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException("The base URL must be an absolute http or https URL.", nameof(baseUrl));
        }

        path ??= string.Empty;
        if (path.Contains('\\', StringComparison.Ordinal))
        {
            return ProxyPathResult.Refused(ProxyPathRejection.EncodedSeparator, "The path contains a backslash; use '/' between segments.");
        }

        var raw = path.Split('/');
        var segments = new List<(string Decoded, string Encoded)>(raw.Length);
        var trailingSlash = path.EndsWith('/');
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i].Length == 0)
            {
                continue;
            }

            if (Decode(raw[i], out var decoded, out var encoded) is { } refusal)
            {
                return refusal;
            }

            var last = i == raw.Length - 1;
            if (decoded == ".")
            {
                trailingSlash |= last;
                continue;
            }

            if (decoded == "..")
            {
                if (segments.Count == 0)
                {
                    return ProxyPathResult.Refused(ProxyPathRejection.ClimbsAboveBase,
                        "The path climbs above the connection's base URL with a '..' segment (plain or percent-encoded).");
                }

                segments.RemoveAt(segments.Count - 1);
                trailingSlash |= last;
                continue;
            }

            var semicolon = decoded.IndexOf(';', StringComparison.Ordinal);
            if (semicolon >= 0 && decoded[..semicolon] is "." or "..")
            {
                return ProxyPathResult.Refused(ProxyPathRejection.AmbiguousDotSegment,
                    "The path has a segment such as '..;x' that some servers read as a dot segment.");
            }

            segments.Add((decoded, encoded));
        }

        string policyPath;
        string forwarded;
        if (segments.Count == 0)
        {
            policyPath = "/";
            forwarded = path.Length == 0 ? string.Empty : "/";
        }
        else
        {
            var suffix = trailingSlash ? "/" : string.Empty;
            policyPath = "/" + string.Join('/', segments.Select(segment => segment.Decoded)) + suffix;
            forwarded = "/" + string.Join('/', segments.Select(segment => segment.Encoded)) + suffix;
        }

        var basePath = baseUrl.AbsolutePath;
        var upstreamPath = forwarded.Length == 0 ? basePath : basePath.TrimEnd('/') + forwarded;
        var target = new Uri(baseUrl.GetComponents(UriComponents.SchemeAndServer, UriFormat.UriEscaped) + upstreamPath + JoinQueries(baseUrl.Query, query), UriKind.Absolute);
        return ProxyPathResult.Valid(policyPath, target);
    }

    /// <summary>
    /// Splits a raw request target (<c>IHttpRequestFeature.RawTarget</c>: path and query as the caller sent them) into
    /// the part after <paramref name="routePrefix"/> and the query. The prefix is compared segment by segment with the
    /// raw target, so a target that only reached the proxy route after the server resolved its dot segments
    /// (<c>…/connections/c/x/../proxy/admin</c>) is refused instead of being read from the wrong place.
    /// </summary>
    /// <param name="rawTarget">The origin-form request target, e.g. <c>/v1/projects/p/connections/c/proxy/a/%2e%2e/b?x=1</c>.</param>
    /// <param name="routePrefix">The route's segments before <c>{**path}</c>, e.g. <c>["v1", "projects", projectId, "connections", id, "proxy"]</c>.</param>
    /// <returns>The path below the prefix (still encoded) and the query (without <c>?</c>), or null when the raw target does not start with the prefix.</returns>
    public static (string Path, string Query)? SplitRawTarget(string rawTarget, IReadOnlyList<string> routePrefix)
    {
        ArgumentNullException.ThrowIfNull(rawTarget);
        ArgumentNullException.ThrowIfNull(routePrefix);
        var questionMark = rawTarget.IndexOf('?', StringComparison.Ordinal);
        var rawPath = questionMark < 0 ? rawTarget : rawTarget[..questionMark];
        var query = questionMark < 0 ? string.Empty : rawTarget[(questionMark + 1)..];
        if (!rawPath.StartsWith('/'))
        {
            return null;
        }

        var position = 1;
        for (var i = 0; i < routePrefix.Count; i++)
        {
            var end = rawPath.IndexOf('/', position);
            var segment = end < 0 ? rawPath[position..] : rawPath[position..end];
            if (!string.Equals(segment, routePrefix[i], StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }

            if (end < 0)
            {
                return i == routePrefix.Count - 1 ? (string.Empty, query) : null;
            }

            position = end + 1;
        }

        return (rawPath[position..], query);
    }

    private static string JoinQueries(string baseQuery, string? query)
    {
        var caller = query is { Length: > 0 } && query[0] == '?' ? query[1..] : query ?? string.Empty;
        if (baseQuery.Length <= 1)
        {
            return caller.Length == 0 ? string.Empty : "?" + caller;
        }

        return caller.Length == 0 ? baseQuery : baseQuery + "&" + caller;
    }

    /// <summary>Decodes one segment for matching and re-encodes it canonically for sending; null when it is acceptable.</summary>
    private static ProxyPathResult? Decode(string segment, out string decoded, out string encoded)
    {
        decoded = encoded = string.Empty;
        var bytes = new ArrayBufferWriter<byte>(segment.Length);
        var canonical = new StringBuilder(segment.Length);
        Span<byte> utf8 = stackalloc byte[4];
        for (var i = 0; i < segment.Length;)
        {
            if (segment[i] == '%')
            {
                if (i + 2 >= segment.Length
                    || !byte.TryParse(segment.AsSpan(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value))
                {
                    return ProxyPathResult.Refused(ProxyPathRejection.InvalidEncoding, "The path has a malformed percent escape.");
                }

                switch (value)
                {
                    case (byte)'/' or (byte)'\\':
                        return ProxyPathResult.Refused(ProxyPathRejection.EncodedSeparator,
                            "The path contains an encoded slash or backslash (%2F, %5C), which servers read differently.");
                    case 0:
                        return ProxyPathResult.Refused(ProxyPathRejection.NulCharacter, "The path contains a NUL character.");
                    default:
                        break;
                }

                bytes.Write([value]);
                if (value < 0x80 && IsUnreserved((char)value))
                {
                    canonical.Append((char)value);
                }
                else
                {
                    canonical.Append('%').Append(value.ToString("X2", CultureInfo.InvariantCulture));
                }

                i += 3;
                continue;
            }

            if (Rune.DecodeFromUtf16(segment.AsSpan(i), out var rune, out var consumed) != OperationStatus.Done)
            {
                return ProxyPathResult.Refused(ProxyPathRejection.InvalidEncoding, "The path is not valid text.");
            }

            if (rune.Value == 0)
            {
                return ProxyPathResult.Refused(ProxyPathRejection.NulCharacter, "The path contains a NUL character.");
            }

            if (Rune.IsControl(rune))
            {
                return ProxyPathResult.Refused(ProxyPathRejection.InvalidEncoding, "The path contains a control character; percent-encode it.");
            }

            var length = rune.EncodeToUtf8(utf8);
            bytes.Write(utf8[..length]);
            if (rune.IsAscii && (IsUnreserved((char)rune.Value) || SubDelimiters.Contains((char)rune.Value, StringComparison.Ordinal)))
            {
                canonical.Append((char)rune.Value);
            }
            else
            {
                foreach (var b in utf8[..length])
                {
                    canonical.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
                }
            }

            i += consumed;
        }

        try
        {
            decoded = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(bytes.WrittenSpan);
        }
        catch (DecoderFallbackException)
        {
            return ProxyPathResult.Refused(ProxyPathRejection.InvalidEncoding, "The path's percent escapes are not UTF-8.");
        }

        encoded = canonical.ToString();
        return null;
    }

    // RFC 3986 §2.3.
    private static bool IsUnreserved(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~';
}
