using System.ComponentModel.DataAnnotations;

namespace Integrations.Core.OAuth;

/// <summary>Settings of the OAuth capability (section <c>OAuth</c>), bound and validated at start.</summary>
public sealed class OAuthOptions
{
    public const string SectionName = "OAuth";

    /// <summary>How long an issuer's discovery document is reused before it is read again. Default 1 hour (1 minute to 1 day).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00", ErrorMessage = "Set OAuth:DiscoveryCacheDuration between 00:01:00 and 1.00:00:00.")]
    public TimeSpan DiscoveryCacheDuration { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The largest discovery document accepted, in bytes. Default 64 KiB (1 KiB to 1 MiB).</summary>
    [Range(1024, 1024 * 1024, ErrorMessage = "Set OAuth:MaxDiscoveryDocumentBytes between 1024 and 1048576.")]
    public int MaxDiscoveryDocumentBytes { get; set; } = 64 * 1024;
}
