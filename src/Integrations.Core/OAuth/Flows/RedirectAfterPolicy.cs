using Integrations.Core.Common;
using Microsoft.Extensions.Hosting;

namespace Integrations.Core.OAuth.Flows;

/// <summary>
/// Where a browser may be sent after a callback: <c>redirect_after</c> must be an absolute http(s) URL whose origin
/// (scheme, host, port — RFC 6454 §4) is exactly one of the project's <c>allowed_redirect_origins</c>. https only outside
/// Development; no user info (so <c>https://allowed@evil</c> is refused, not read as host <c>allowed</c>); no whitespace,
/// control characters or backslashes, which browsers and URL parsers disagree about. Any path, query or fragment on an
/// allowed origin is fine: the origin is what decides who receives the browser.
/// </summary>
public sealed class RedirectAfterPolicy(IHostEnvironment? environment = null)
{
    /// <summary>How many origins a project may allow.</summary>
    public const int MaxOrigins = 50;

    private const int MaxLength = 2048;

    /// <summary>http is accepted only in Development (local apps on http://localhost).</summary>
    public bool AllowsHttp { get; } = environment?.IsDevelopment() == true;

    /// <summary>
    /// The URL to redirect to (null when <paramref name="redirectAfter"/> is empty), or a 400 error:
    /// <see cref="OAuthErrors.InvalidRedirectAfter"/> or <see cref="OAuthErrors.RedirectOriginNotAllowed"/>.
    /// </summary>
    public Result<Uri?> Check(string? redirectAfter, IReadOnlyCollection<string> allowedOrigins)
    {
        ArgumentNullException.ThrowIfNull(allowedOrigins);
        if (string.IsNullOrEmpty(redirectAfter))
        {
            return Result.Success<Uri?>(null);
        }

        if (Parse(redirectAfter) is not { } uri)
        {
            return HubError.Invalid(OAuthErrors.InvalidRedirectAfter,
                AllowsHttp ? "redirect_after must be an absolute http or https URL without user info." : "redirect_after must be an absolute https URL without user info.",
                "redirect_after");
        }

        var origin = OriginOf(uri);
        if (!allowedOrigins.Contains(origin, StringComparer.Ordinal))
        {
            return HubError.Invalid(OAuthErrors.RedirectOriginNotAllowed,
                "redirect_after's origin is not one of the project's allowed_redirect_origins (PUT …/oauth/settings).", "redirect_after");
        }

        return uri;
    }

    /// <summary>
    /// The allowed origins as stored: each a bare origin (<c>https://app.example.com[:port]</c>, no path, query, fragment or
    /// user info), normalised (lowercase, default port dropped) and without duplicates; or a 400 naming the bad entry.
    /// </summary>
    public Result<IReadOnlyList<string>> NormalizeOrigins(IReadOnlyList<string?>? origins)
    {
        if (origins is null)
        {
            return HubError.Invalid(OAuthErrors.InvalidRedirectOrigin, "allowed_redirect_origins is required (a list, possibly empty).", "allowed_redirect_origins");
        }

        if (origins.Count > MaxOrigins)
        {
            return HubError.Invalid(OAuthErrors.InvalidRedirectOrigin, $"At most {MaxOrigins} allowed_redirect_origins.", "allowed_redirect_origins");
        }

        var normalized = new List<string>();
        for (var i = 0; i < origins.Count; i++)
        {
            var field = $"allowed_redirect_origins[{i}]";
            var uri = origins[i] is { } text ? Parse(text) : null;
            if (uri is null || uri.PathAndQuery != "/" || origins[i]!.IndexOfAny(['?', '#']) >= 0)
            {
                return HubError.Invalid(OAuthErrors.InvalidRedirectOrigin,
                    $"{field} must be an origin such as https://app.example.com or https://app.example.com:8443 (no path, query or user info{(AllowsHttp ? "" : "; https only")}).",
                    field);
            }

            var origin = OriginOf(uri);
            if (!normalized.Contains(origin, StringComparer.Ordinal))
            {
                normalized.Add(origin);
            }
        }

        return normalized;
    }

    /// <summary>The origin of an absolute URL: lowercase scheme and host, and the port unless it is the scheme's default.</summary>
    public static string OriginOf(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        var host = uri.HostNameType == UriHostNameType.IPv6 ? "[" + uri.IdnHost.Trim('[', ']') + "]" : uri.IdnHost;
        return (uri.Scheme + "://" + host).ToLowerInvariant() + (uri.IsDefaultPort ? "" : ":" + uri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    private Uri? Parse(string text)
    {
        if (text.Length > MaxLength || text.Any(c => c <= ' ' || c == '\\' || c == '\u007f'))
        {
            return null;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri)
            || !(uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && AllowsHttp))
            || !string.IsNullOrEmpty(uri.UserInfo) || AuthorityHasAt(text, uri.Scheme.Length) || string.IsNullOrEmpty(uri.Host))
        {
            return null;
        }

        return uri;
    }

    // "https://@evil" has an empty user info but is still not a plain host: any '@' before the path is refused.
    private static bool AuthorityHasAt(string text, int schemeLength)
    {
        var authority = text.AsSpan(Math.Min(text.Length, schemeLength + 3));
        var end = authority.IndexOfAny('/', '?', '#');
        return (end < 0 ? authority : authority[..end]).Contains('@');
    }
}
