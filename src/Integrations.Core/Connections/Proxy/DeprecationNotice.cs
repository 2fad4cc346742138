using System.Globalization;

namespace Integrations.Core.Connections.Proxy;

/// <summary>
/// An upstream's notice that the resource is (or will be) deprecated and when it goes away, from the
/// <c>Deprecation</c> (RFC 9745) and <c>Sunset</c> (RFC 8594) response headers.
/// </summary>
/// <param name="DeprecatedAt">When the resource is or was deprecated; null when the header says only that it is (the legacy <c>true</c>) or is absent.</param>
/// <param name="SunsetAt">When it is expected to stop responding (<c>Sunset</c>), if given.</param>
public sealed record DeprecationNotice(DateTimeOffset? DeprecatedAt, DateTimeOffset? SunsetAt)
{
    /// <summary>
    /// Reads <c>Deprecation</c> — RFC 9745's structured date <c>@1688169599</c>, or the drafts' <c>true</c> and
    /// HTTP-date — and <c>Sunset</c> (an HTTP-date). Null when neither header is present with a readable value.
    /// </summary>
    public static DeprecationNotice? Parse(IEnumerable<KeyValuePair<string, string>> headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var deprecated = false;
        DateTimeOffset? deprecatedAt = null;
        DateTimeOffset? sunsetAt = null;
        foreach (var (name, value) in headers)
        {
            var text = value?.Trim() ?? string.Empty;
            if (string.Equals(name, "Deprecation", StringComparison.OrdinalIgnoreCase))
            {
                if (text.StartsWith('@') && long.TryParse(text.AsSpan(1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seconds)
                    && seconds >= DateTimeOffset.MinValue.ToUnixTimeSeconds() && seconds <= DateTimeOffset.MaxValue.ToUnixTimeSeconds())
                {
                    deprecated = true;
                    deprecatedAt = DateTimeOffset.FromUnixTimeSeconds(seconds);
                }
                else if (string.Equals(text, "true", StringComparison.OrdinalIgnoreCase) || string.Equals(text, "?1", StringComparison.Ordinal))
                {
                    deprecated = true;
                }
                else if (HttpDate(text) is { } date)
                {
                    deprecated = true;
                    deprecatedAt = date;
                }
            }
            else if (string.Equals(name, "Sunset", StringComparison.OrdinalIgnoreCase) && HttpDate(text) is { } sunset)
            {
                sunsetAt = sunset;
            }
        }

        return deprecated || sunsetAt is not null ? new DeprecationNotice(deprecatedAt, sunsetAt) : null;
    }

    // RFC 9110 §5.6.7: IMF-fixdate. The day name is redundant and is not checked: RFC 8594's own example,
    // "Sat, 31 Dec 2018", names the wrong weekday (that day was a Monday), and servers copy it.
    private static DateTimeOffset? HttpDate(string text)
    {
        var comma = text.IndexOf(',', StringComparison.Ordinal);
        return comma is 3 && DateTimeOffset.TryParseExact(text[(comma + 1)..].Trim(), "dd MMM yyyy HH:mm:ss 'GMT'", CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var date)
            ? date
            : null;
    }
}
