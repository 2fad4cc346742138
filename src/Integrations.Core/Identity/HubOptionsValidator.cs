using System.Net;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Integrations.Core.Identity;

/// <summary>
/// Cross-field rules of <see cref="HubOptions"/>: <c>Hub:PublicBaseUrl</c>, when set, is an absolute http(s) URL with no query,
/// fragment or user info, and https outside Development. A loopback host (127.0.0.0/8, [::1], localhost) may use http in any
/// environment: such a URL never crosses a network (the exception RFC 8252 §7.3 makes for loopback redirect URIs), and the
/// hub's own tests and benchmarks run the Server in Production mode on loopback.
/// </summary>
public sealed class HubOptionsValidator(IHostEnvironment? environment = null) : IValidateOptions<HubOptions>
{
    public ValidateOptionsResult Validate(string? name, HubOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.PublicBaseUrl is null)
        {
            return ValidateOptionsResult.Success;
        }

        return Check(options.PublicBaseUrl, environment?.IsDevelopment() == true) is { } error ? ValidateOptionsResult.Fail(error) : ValidateOptionsResult.Success;
    }

    /// <summary>Why <paramref name="value"/> cannot be <c>Hub:PublicBaseUrl</c>, or null when it can.</summary>
    public static string? Check(string value, bool isDevelopment)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
            || string.IsNullOrEmpty(uri.Host))
        {
            return $"Hub:PublicBaseUrl must be an absolute URL such as https://hub.example.com (got '{Shown(value)}').";
        }

        if (!string.IsNullOrEmpty(uri.Query) || value.Contains('#', StringComparison.Ordinal) || value.Contains('?', StringComparison.Ordinal)
            || !string.IsNullOrEmpty(uri.UserInfo))
        {
            return "Hub:PublicBaseUrl must have no query, fragment or user info: it is the prefix of the OAuth redirect URI.";
        }

        if (uri.Scheme == Uri.UriSchemeHttp && !isDevelopment && !IsLoopback(uri))
        {
            return "Hub:PublicBaseUrl must use https outside Development (OAuth codes and the browser-binding cookie travel to it).";
        }

        return null;
    }

    private static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || string.Equals(uri.Host, "localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));

    private static string Shown(string value) => value.Length > 100 ? value[..100] + "…" : value;
}
