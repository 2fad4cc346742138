namespace Integrations.Core.Webhooks;

/// <summary>How ingress answered a delivery.</summary>
public enum WebhookIngressOutcome
{
    /// <summary>Stored and enqueued now: 200, then the received-event handlers run.</summary>
    Accepted,

    /// <summary>Already stored and enqueued by an earlier copy: 200, nothing handed on again.</summary>
    Duplicate,

    /// <summary>A handshake answered (Slack url_verification, Zoom url_validation, Asana X-Hook-Secret).</summary>
    Challenge,

    /// <summary>Refused: 401 (bad signature, stale) or 400 (malformed, missing or duplicated header).</summary>
    Refused,

    /// <summary>Storage or the queue is down (or another copy is still enqueueing): 503, the provider retries.</summary>
    Unavailable,
}

/// <summary>The outcome of one delivery.</summary>
public sealed record WebhookIngressResult(
    WebhookIngressOutcome Outcome, WebhookEvent? Event = null, WebhookRefusal? Refusal = null, string? Reason = null, WebhookChallenge? Challenge = null)
{
    public static WebhookIngressResult Accepted(WebhookEvent webhookEvent) => new(WebhookIngressOutcome.Accepted, webhookEvent);

    public static WebhookIngressResult Duplicate(WebhookEvent webhookEvent) => new(WebhookIngressOutcome.Duplicate, webhookEvent);

    public static WebhookIngressResult Answer(WebhookChallenge challenge) => new(WebhookIngressOutcome.Challenge, Challenge: challenge);

    public static WebhookIngressResult Refuse(WebhookRefusal refusal, string reason) => new(WebhookIngressOutcome.Refused, Refusal: refusal, Reason: reason);

    public static WebhookIngressResult Unavailable(string reason) => new(WebhookIngressOutcome.Unavailable, Reason: reason);
}

/// <summary>Where a delivery came from, for the audit record of a refusal.</summary>
public sealed record WebhookRequestOrigin(string? SourceAddress, string? UserAgent, string? RequestId);
