namespace Integrations.Core.Identity.Lockout;

/// <summary>Whether a login attempt may go ahead; when not, how long until it may (the <c>Retry-After</c>).</summary>
public sealed record LoginThrottleDecision(bool Allowed, TimeSpan? RetryAfter);
