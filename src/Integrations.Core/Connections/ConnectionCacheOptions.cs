using System.ComponentModel.DataAnnotations;

namespace Integrations.Core.Connections;

/// <summary>
/// The per-instance cache of connections and their credentials used by the proxy and the token route (section
/// <c>Connections</c>; see <see cref="ConnectionCache"/>).
/// </summary>
public sealed class ConnectionCacheOptions
{
    public const string SectionName = "Connections";

    /// <summary>
    /// How long an instance may use a connection (configuration and state), its unsealed static credential or its access
    /// token without reading them again. Changes made on this instance take effect at once; changes made on another instance
    /// (disable, revoke, delete, needs_reauth, a secret updated) reach this one within this time. Zero turns the cache off.
    /// Default 5 seconds.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan CacheDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>At most this many connections are cached per instance (each with its credential). Default 10,000.</summary>
    [Range(1, 1_000_000)]
    public int CacheSize { get; set; } = 10_000;
}
