namespace Integrations.Core.Webhooks;

/// <summary>
/// The per-source counter names (<see cref="Counters.IHubCounters"/>, keyed by the source id): ingress records them, the
/// stats route reads them. One per outcome, so an operator can tell a misconfigured secret from a replay attack.
/// </summary>
public static class WebhookCounters
{
    public const string Accepted = "accepted";
    public const string Duplicate = "duplicate";
    public const string BadSignature = "bad_signature";
    public const string Stale = "stale";
    public const string Oversized = "oversized";

    /// <summary>Unparseable headers or body, and missing or duplicated headers.</summary>
    public const string Malformed = "malformed";

    /// <summary>The time-valued counter: the last delivery that was verified and stored.</summary>
    public const string LastAccepted = "last_accepted_at";

    /// <summary>The counter a refusal adds to.</summary>
    public static string For(WebhookRefusal refusal) => refusal switch
    {
        WebhookRefusal.BadSignature => BadSignature,
        WebhookRefusal.Stale => Stale,
        _ => Malformed,
    };
}
