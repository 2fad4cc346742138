namespace Integrations.Api.Routing;

/// <summary>Names of the per-caller rate-limit policies a route can name; limits come from <c>RateLimits</c> settings.</summary>
public static class RateLimitPolicies
{
    /// <summary>No per-caller limit (public probes: a load balancer must never be throttled).</summary>
    public const string None = "none";

    /// <summary>Every authenticated route unless it says otherwise: <c>RateLimits:PerCredentialPerMinute</c> (600).</summary>
    public const string Standard = "standard";

    /// <summary>
    /// The anonymous account routes (sign-up, login, refresh, logout), counted per source address (an IPv6 /64 as one):
    /// <c>RateLimits:Policies:auth</c>, 30 a minute by default. The login throttle (per account and source, durable) is the
    /// answer to password guessing; this keeps one address from spending the instance's Argon2id time.
    /// </summary>
    public const string Auth = "auth";

    /// <summary>
    /// The anonymous recovery routes (verify an address, ask for and confirm a password reset), per source address:
    /// <c>RateLimits:Policies:recovery</c>, 10 a minute by default — each request may send a mail.
    /// </summary>
    public const string Recovery = "recovery";

    /// <summary>
    /// Creating and accepting invitations, per credential (the API key or the person): <c>RateLimits:Policies:invitations</c>,
    /// 20 a minute by default — each creation may send a mail to any address, and each accept is a guess at a token.
    /// </summary>
    public const string Invitations = "invitations";
}
