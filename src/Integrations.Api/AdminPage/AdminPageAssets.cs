using System.Collections.Frozen;
using System.Security.Cryptography;

namespace Integrations.Api.AdminPage;

/// <summary>
/// The admin page's files: every embedded resource whose logical name starts <c>admin/</c> (the csproj names them so), by
/// file name. Only these names can be served; a request for anything else is a 404, whatever its dots or slashes.
/// </summary>
public static class AdminPageAssets
{
    /// <summary>The page itself, served for <c>/admin</c> and <c>/admin/</c>.</summary>
    public const string IndexName = "index.html";

    private const string ResourcePrefix = "admin/";

    // A file type not listed here is not embedded as an asset: the build fails a test rather than serve a guessed type.
    private static readonly FrozenDictionary<string, string> ContentTypes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".svg"] = "image/svg+xml",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly Lazy<FrozenDictionary<string, AdminPageAsset>> Files = new(Load);

    /// <summary>Every file, by name.</summary>
    public static IReadOnlyDictionary<string, AdminPageAsset> All => Files.Value;

    /// <summary>The file named exactly <paramref name="name"/>, or null.</summary>
    public static AdminPageAsset? Find(string name) => Files.Value.GetValueOrDefault(name);

    private static FrozenDictionary<string, AdminPageAsset> Load()
    {
        var assembly = typeof(AdminPageAssets).Assembly;
        var files = new Dictionary<string, AdminPageAsset>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            var name = resource[ResourcePrefix.Length..];
            var type = ContentTypes.GetValueOrDefault(Path.GetExtension(name))
                ?? throw new InvalidOperationException($"The admin page file '{name}' has a type the hub does not serve.");
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var bytes = buffer.ToArray();
            var etag = "\"" + Convert.ToHexStringLower(SHA256.HashData(bytes).AsSpan(0, 16)) + "\"";
            files[name] = new AdminPageAsset(name, type, bytes, etag);
        }

        return files.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
