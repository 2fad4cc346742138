using System.Net;
using Integrations.Http.Resilience;

namespace Integrations.Http.Client;

/// <summary>
/// Why a call failed, after its retries. <see cref="Reason"/> names the target by scheme, host and port only; the
/// <see cref="Exception"/>, when there is one, is for logs, not for a client-facing problem.
/// </summary>
/// <param name="Kind">The error class.</param>
/// <param name="StatusCode">The last response's status, when one arrived.</param>
/// <param name="Attempts">How many attempts were made, the first included.</param>
/// <param name="Reason">A sentence for logs and operators.</param>
/// <param name="RetryAfter">When the target asked for a pause (Retry-After) or its circuit is open: how long to wait before trying again.</param>
/// <param name="Exception">The last attempt's exception, when it ended in one.</param>
public sealed record OutboundFailure(OutboundErrorKind Kind, HttpStatusCode? StatusCode, int Attempts, string Reason, TimeSpan? RetryAfter, Exception? Exception)
{
    /// <summary>The stable code, e.g. <c>RATE_LIMIT_ERROR</c>.</summary>
    public string Code => Kind.Code();

    /// <summary>Whether a later call could succeed without any change (the class is one the strategies retry).</summary>
    public bool IsTransient => Kind.IsRetried() || Kind == OutboundErrorKind.CircuitOpen;
}
