using System.ComponentModel.DataAnnotations;

namespace Integrations.Core.OAuth.Tokens;

/// <summary>How the hub keeps OAuth tokens. Bound from the <c>OAuth</c> configuration section and validated at start.</summary>
public sealed class TokenLifecycleOptions
{
    public const string SectionName = "OAuth";

    /// <summary>
    /// The lifetime assumed for a token response without <c>expires_in</c> when its provider sets no
    /// <c>DefaultTokenLifetime</c> (default 1 hour); such a token is also refreshed on its first 401.
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan DefaultTokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How long a caller whose token has expired waits for another instance's refresh (it re-reads the stored tokens
    /// every <see cref="RefreshPollInterval"/>) before it answers <c>token-refresh-pending</c>. Default 15 seconds.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan RefreshWaitTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Between two re-reads while waiting for another instance's refresh (with up to 50% jitter). Default 100 ms.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:00:10")]
    public TimeSpan RefreshPollInterval { get; set; } = TimeSpan.FromMilliseconds(100);
}
