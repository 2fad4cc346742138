using System.ComponentModel.DataAnnotations;

namespace Integrations.Core.Identity.Users;

/// <summary>Sessions and refresh tokens. Bound from the <c>Auth</c> configuration section.</summary>
public sealed class UserSessionOptions
{
    public const string SectionName = "Auth";

    /// <summary>
    /// How long a refresh token may be used after it was issued (default 30 days): an idle session ends then. Each refresh
    /// issues a new token with a new lifetime.
    /// </summary>
    [Range(typeof(TimeSpan), "01:00:00", "365.00:00:00", ErrorMessage = "Auth:RefreshTokenLifetime must be between 1 hour and 365 days (d.hh:mm:ss).")]
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// How long after a rotation the refresh token it consumed answers again with the same new pair (default 10 s, at most
    /// 60 s; 0 turns it off), so two tabs refreshing at once both stay logged in. Past it, a second use revokes the session.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00", ErrorMessage = "Auth:RefreshTokenReuseGrace must be between 0 and 60 seconds (hh:mm:ss).")]
    public TimeSpan RefreshTokenReuseGrace { get; set; } = TimeSpan.FromSeconds(10);
}
