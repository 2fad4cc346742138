using Microsoft.AspNetCore.Http;

namespace Integrations.Api.OAuth;

/// <summary>
/// The browser-binding cookie of an OAuth flow (login CSRF defence): set by the start link, checked by the callback. One per
/// flow (named by <see cref="Core.OAuth.Flows.OAuthState.BindingKey"/>) so flows started in one browser do not overwrite each
/// other. HttpOnly; SameSite=Lax, so the provider's top-level redirect back to the callback carries it while cross-site
/// subresource requests do not; Secure with the <c>__Host-</c> prefix (Path=/, no Domain: no sibling host can set or shadow
/// it) outside Development, where the hub is served over https.
/// </summary>
public static class OAuthBindingCookie
{
    private const string BaseName = "ihub-oauth-";

    /// <summary>The cookie's name for a flow.</summary>
    public static string Name(string bindingKey, bool secure) => (secure ? "__Host-" : "") + BaseName + bindingKey;

    /// <summary>Sets the cookie on <paramref name="response"/>, living until <paramref name="expiresAt"/> (the state's expiry).</summary>
    public static void Append(HttpResponse response, string bindingKey, string value, DateTimeOffset expiresAt, DateTimeOffset now, bool secure)
    {
        ArgumentNullException.ThrowIfNull(response);
        var maxAge = expiresAt - now;
        response.Cookies.Append(Name(bindingKey, secure), value, new CookieOptions
        {
            HttpOnly = true,
            Secure = secure,
            SameSite = SameSiteMode.Lax,
            Path = "/",
            MaxAge = maxAge > TimeSpan.Zero ? maxAge : TimeSpan.Zero,
            IsEssential = true,
        });
    }

    /// <summary>What <c>OAuthStateService.ConsumeAsync</c> takes: reads a flow's cookie from <paramref name="request"/>.</summary>
    public static Func<string, string?> Reader(HttpRequest request, bool secure)
    {
        ArgumentNullException.ThrowIfNull(request);
        return bindingKey => request.Cookies.TryGetValue(Name(bindingKey, secure), out var value) ? value : null;
    }
}
