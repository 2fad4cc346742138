using System.ComponentModel.DataAnnotations;

namespace Integrations.Api.Identity;

/// <summary>How the request pipeline treats people's access tokens (<c>Auth</c>).</summary>
public sealed class UserAuthenticationOptions
{
    public const string SectionName = "Auth";

    /// <summary>
    /// How long an instance may rely on having seen a session live before it reads the session again (default and maximum
    /// 30 s, issue 11: a revoked session's access tokens are refused within 30 s on every instance; 0 reads on every request).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:30", ErrorMessage = "Auth:SessionCheckInterval must be between 00:00:00 and 00:00:30: access tokens of an ended session must be refused within 30 seconds on every instance.")]
    public TimeSpan SessionCheckInterval { get; set; } = TimeSpan.FromSeconds(30);
}
