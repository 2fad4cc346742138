using System.ComponentModel.DataAnnotations;

namespace Integrations.Api.Pipeline;

/// <summary>
/// Per-instance request limits, bound from <c>RateLimits</c>. In Azure they are a second line behind API Management or
/// Front Door, which limit across instances; here they keep one abusive caller from degrading everyone on an instance.
/// </summary>
public sealed class RateLimitOptions
{
    public const string SectionName = "RateLimits";

    /// <summary>Failed authentications one source address may make per minute; past that it gets 429 with <c>Retry-After</c>.</summary>
    [Range(1, int.MaxValue)]
    public int FailedAuthenticationsPerMinute { get; set; } = 20;

    /// <summary>Requests one credential may make per minute under the <c>standard</c> policy.</summary>
    [Range(1, int.MaxValue)]
    public int PerCredentialPerMinute { get; set; } = 600;

    /// <summary>
    /// Take the source address from the last <c>X-Forwarded-For</c> entry (set it behind a front end that appends the
    /// client's address, as Azure's do; otherwise every client behind it would share one address's budget).
    /// </summary>
    public bool TrustForwardedFor { get; set; }

    /// <summary>Per-minute limits of other named policies (<c>RateLimits:Policies:{name}</c>); a policy not listed uses <see cref="PerCredentialPerMinute"/>.</summary>
    public Dictionary<string, int> Policies { get; } = new(StringComparer.Ordinal) { [Routing.RateLimitPolicies.Auth] = 30, [Routing.RateLimitPolicies.Recovery] = 10, [Routing.RateLimitPolicies.Invitations] = 20 };
}
