using System.ComponentModel.DataAnnotations;

namespace Integrations.Core.Webhooks;

/// <summary>Settings of webhook sources (section <c>Webhooks</c>).</summary>
public sealed class WebhookSourceOptions
{
    public const string SectionName = "Webhooks";

    /// <summary>How many sources a project may have (default 100): bounds the project-level route's sniffing, which reads them all.</summary>
    [Range(1, 10_000)]
    public int MaxSourcesPerProject { get; set; } = 100;

    /// <summary>
    /// How long an instance keeps a resolved source (its settings and unsealed keys) for the ingress routes (default 30 s;
    /// zero disables the cache). A change through this instance is seen at once; another instance sees a disabled source,
    /// a new key or a retired key within this time.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00", ErrorMessage = "Webhooks:SourceCacheDuration must lie between 00:00:00 (no cache) and 00:10:00.")]
    public TimeSpan SourceCacheDuration { get; set; } = TimeSpan.FromSeconds(30);
}
