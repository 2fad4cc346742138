using Polly;

namespace Integrations.Http.Resilience;

/// <summary>What a call tells the shared pipelines, carried in Polly's <see cref="ResilienceContext"/>.</summary>
internal static class OutboundContextKeys
{
    /// <summary>Attempts this call may make (at most its strategy's maximum).</summary>
    public static readonly ResiliencePropertyKey<int> MaxAttempts = new("Integrations.Http.MaxAttempts");

    /// <summary>This call's per-attempt timeout.</summary>
    public static readonly ResiliencePropertyKey<TimeSpan> AttemptTimeout = new("Integrations.Http.AttemptTimeout");

    /// <summary>
    /// Whether a 401 is retried by the strategy (default true). The proxy sets false: its 401 gets one retry of its own
    /// after a forced refresh, separate from the transient retries.
    /// </summary>
    public static readonly ResiliencePropertyKey<bool> RetryAuth = new("Integrations.Http.RetryAuth");

    /// <summary>The call's own state, for logging and the auth-retry hook.</summary>
    public static readonly ResiliencePropertyKey<OutboundCallState> Call = new("Integrations.Http.Call");
}
