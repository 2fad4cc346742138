using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Http;

namespace Integrations.Api.OAuth;

/// <summary>
/// The small HTML pages a browser sees in an OAuth flow (a refused start link, the callback's success or failure): no
/// script, no style from elsewhere, nothing secret. Served with <c>Content-Security-Policy: default-src 'none'</c> (nothing
/// loads, nothing runs, no form posts, no framing), <c>nosniff</c>, <c>no-referrer</c> and <c>no-store</c>. Every text that
/// came from outside (a provider's <c>error</c> and <c>error_description</c>) is HTML-encoded and shortened.
/// </summary>
public sealed class OAuthPage : IResult
{
    /// <summary>The policy every page is served with.</summary>
    public const string ContentSecurityPolicy = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private const int MaxProviderText = 300;

    private OAuthPage(int statusCode, string html)
    {
        StatusCode = statusCode;
        Html = html;
    }

    public int StatusCode { get; }

    /// <summary>The page's markup.</summary>
    public string Html { get; }

    /// <summary>The callback succeeded: the connection is connected and the window may be closed.</summary>
    public static OAuthPage Success(string? connectionName = null) =>
        Render(StatusCodes.Status200OK, "Connected", connectionName is null
            ? "The connection is authorized. You can close this window."
            : $"The connection “{Shorten(connectionName)}” is authorized. You can close this window.", code: null, providerError: null, providerDescription: null);

    /// <summary>
    /// A refused or failed flow: <paramref name="code"/> is the hub's stable code (e.g. <c>oauth-state-used</c>);
    /// <paramref name="providerError"/> and <paramref name="providerDescription"/> are what the provider said (RFC 6749 §4.1.2.1),
    /// shown encoded, never treated as success.
    /// </summary>
    public static OAuthPage Failure(int statusCode, string title, string message, string code, string? providerError = null, string? providerDescription = null) =>
        Render(statusCode, title, message, code, providerError, providerDescription);

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        response.StatusCode = StatusCode;
        response.ContentType = "text/html; charset=utf-8";
        response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers["Referrer-Policy"] = "no-referrer";
        response.Headers.CacheControl = "no-store";
        await response.WriteAsync(Html, Encoding.UTF8, httpContext.RequestAborted).ConfigureAwait(false);
    }

    private static OAuthPage Render(int status, string title, string message, string? code, string? providerError, string? providerDescription)
    {
        var encoder = HtmlEncoder.Default;
        var html = new StringBuilder();
        html.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"referrer\" content=\"no-referrer\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width\"><title>").Append(encoder.Encode(title)).Append("</title></head><body><main>")
            .Append("<h1>").Append(encoder.Encode(title)).Append("</h1><p>").Append(encoder.Encode(message)).Append("</p>");
        if (!string.IsNullOrEmpty(providerError))
        {
            html.Append("<p>The provider answered <code>").Append(encoder.Encode(Shorten(providerError))).Append("</code>");
            if (!string.IsNullOrEmpty(providerDescription))
            {
                html.Append(": ").Append(encoder.Encode(Shorten(providerDescription)));
            }

            html.Append("</p>");
        }

        if (code is not null)
        {
            html.Append("<p><small>Code: <code>").Append(encoder.Encode(code)).Append("</code></small></p>");
        }

        html.Append("</main></body></html>");
        return new OAuthPage(status, html.ToString());
    }

    // Provider text is untrusted and unbounded: shortened (by text elements, so no surrogate pair is cut) before encoding.
    private static string Shorten(string text)
    {
        var info = new StringInfo(text);
        return info.LengthInTextElements <= MaxProviderText ? text : info.SubstringByTextElements(0, MaxProviderText) + "…";
    }
}
