namespace Integrations.Core.Audit;

/// <summary>Stable outcome names.</summary>
public static class AuditOutcomes
{
    /// <summary>A change is about to run; its outcome follows in a second record with the same request id.</summary>
    public const string Attempt = "attempt";
    public const string Success = "success";
    public const string Denied = "denied";
    public const string Unauthenticated = "unauthenticated";
    public const string NotFound = "not_found";
    public const string Invalid = "invalid";
    public const string Conflict = "conflict";
    public const string RateLimited = "rate_limited";
    public const string Error = "error";
}
