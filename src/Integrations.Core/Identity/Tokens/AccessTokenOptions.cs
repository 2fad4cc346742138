using System.ComponentModel.DataAnnotations;

namespace Integrations.Core.Identity.Tokens;

/// <summary>User access tokens (JWT, ES256). Bound from the <c>Auth</c> configuration section.</summary>
public sealed class AccessTokenOptions
{
    public const string SectionName = "Auth";

    /// <summary>
    /// The <c>iss</c> of every access token, and the only one accepted. Defaults to <c>Hub:PublicBaseUrl</c> (without a
    /// trailing slash); one of the two must be set.
    /// </summary>
    public string? Issuer { get; set; }

    /// <summary>The <c>aud</c> of every access token, and the only one accepted (default <c>integrations-hub</c>).</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "Auth:Audience must not be empty (default integrations-hub).")]
    [MaxLength(200, ErrorMessage = "Auth:Audience must be at most 200 characters.")]
    public string Audience { get; set; } = "integrations-hub";

    /// <summary>
    /// How long an access token is valid (default 2 hours). It also bounds how long a replaced signing key stays published:
    /// until every token it signed has expired.
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00", ErrorMessage = "Auth:AccessTokenLifetime must be between 1 minute and 1 day (hh:mm:ss).")]
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromHours(2);

    /// <summary>
    /// Tolerance for clocks that differ between instances (default 30 s, at most 30 s): a token is accepted this long after
    /// its <c>exp</c>, and its <c>iat</c> may be this far in the future.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:30", ErrorMessage = "Auth:ClockSkew must be between 0 and 30 seconds (hh:mm:ss).")]
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How many verified tokens an instance remembers (default 10,000; 0 turns it off), so a client that sends the same token
    /// on every request pays the ES256 verification once, not per request. An entry holds the exact token string and its
    /// principal; lifetime and key are checked again on every hit, and an entry never outlives its token.
    /// </summary>
    [Range(0, 1_000_000, ErrorMessage = "Auth:VerifiedTokenCacheSize must be between 0 and 1000000.")]
    public int VerifiedTokenCacheSize { get; set; } = 10_000;
}
