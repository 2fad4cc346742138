using Microsoft.AspNetCore.Http;

namespace Integrations.Api.AdminPage;

/// <summary>Writes one admin file with its security and caching headers (see <see cref="AdminPageEndpoints"/>).</summary>
internal sealed class AdminPageResult(AdminPageAsset asset) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        var headers = response.Headers;
        headers.ContentSecurityPolicy = AdminPageEndpoints.ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Cross-Origin-Resource-Policy"] = "same-origin";
        // No other site's window keeps a handle on the page; the popups it opens itself (Connect) keep theirs.
        headers["Cross-Origin-Opener-Policy"] = "same-origin-allow-popups";
        // The page is never stored (it is where a key is typed); scripts and style are revalidated by their ETag, so a
        // deployment is picked up at once.
        headers.CacheControl = asset.IsHtml ? "no-store" : "no-cache";
        headers.ETag = asset.ETag;
        if (!asset.IsHtml && httpContext.Request.Headers.IfNoneMatch.Any(v => v is not null && v.Contains(asset.ETag, StringComparison.Ordinal)))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = asset.ContentType;
        response.ContentLength = asset.Content.Length;
        await response.Body.WriteAsync(asset.Content, httpContext.RequestAborted).ConfigureAwait(false);
    }
}
