using System.Buffers;
using Integrations.Api.Http;
using Microsoft.AspNetCore.Http;

namespace Integrations.Api.AdminPage;

/// <summary>
/// Serves the admin page's embedded files with the headers that keep it from being turned against its user: a
/// Content-Security-Policy that allows only this origin's scripts, styles and API calls (no inline script or style, no
/// framing, no form posts, no base element), <c>nosniff</c>, <c>no-referrer</c>, and no caching of the page itself.
/// </summary>
public static class AdminPageEndpoints
{
    /// <summary>The policy every admin file is served with.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; " +
        "frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    // Only flat, lower-case file names exist: anything with a slash, a backslash, dots in a row, an escape or a control
    // character cannot name one, and is answered like any other unknown name (no file system is ever consulted).
    private static readonly SearchValues<char> NameCharacters = SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789-.");

    /// <summary>The file the request path names below <c>/admin</c>, or a 404 problem.</summary>
    public static IResult Serve(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var name = FileName(context.Request.Path);
        return name is not null && AdminPageAssets.Find(name) is { } asset
            ? new AdminPageResult(asset)
            : Problems.Create(StatusCodes.Status404NotFound, AdminPageProblems.AssetNotFound, "Not found", "The admin page has no such file; open /admin.");
    }

    /// <summary><c>/admin</c> and <c>/admin/</c> → the page; <c>/admin/{name}</c> → name when it can be a file name; else null.</summary>
    internal static string? FileName(PathString path)
    {
        if (!path.StartsWithSegments("/admin", StringComparison.Ordinal, out var rest))
        {
            return null;
        }

        var value = rest.Value ?? "";
        if (value.Length <= 1)
        {
            return AdminPageAssets.IndexName;
        }

        var name = value[1..];
        return name.AsSpan().ContainsAnyExcept(NameCharacters) || name.Contains("..", StringComparison.Ordinal) || name.StartsWith('.') ? null : name;
    }
}
