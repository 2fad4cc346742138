namespace Integrations.Api.AdminPage;

/// <summary>One file of the admin page, read from the assembly's resources once.</summary>
/// <param name="Name">The file name below <c>/admin/</c> (e.g. <c>app.js</c>).</param>
/// <param name="ContentType">The media type it is served as.</param>
/// <param name="Content">The file's bytes.</param>
/// <param name="ETag">A strong validator over the bytes (quoted).</param>
public sealed record AdminPageAsset(string Name, string ContentType, ReadOnlyMemory<byte> Content, string ETag)
{
    /// <summary>Whether this is the HTML page (never cached) rather than a script or style (revalidated).</summary>
    public bool IsHtml => ContentType.StartsWith("text/html", StringComparison.Ordinal);
}
