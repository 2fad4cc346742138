namespace Integrations.Api.Routing;

/// <summary>Names of the per-caller rate-limit policies a route can name; limits come from <c>RateLimits</c> settings.</summary>
public static class RateLimitPolicies
{
    /// <summary>No per-caller limit (public probes: a load balancer must never be throttled).</summary>
    public const string None = "none";

    /// <summary>Every authenticated route unless it says otherwise: <c>RateLimits:PerCredentialPerMinute</c> (600).</summary>
    public const string Standard = "standard";
}
