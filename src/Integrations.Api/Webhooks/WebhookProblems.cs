using Integrations.Core.Webhooks;

namespace Integrations.Api.Webhooks;

/// <summary>Problem codes of webhook ingress and the events API. Each has an entry in docs/problems.md.</summary>
public static class WebhookProblems
{
    public const string SourceNotFound = "webhook-source-not-found";
    public const string SourceNotMatched = "webhook-source-not-matched";
    public const string BadSignature = "webhook-bad-signature";
    public const string Stale = "webhook-stale";
    public const string Malformed = "webhook-malformed";
    public const string MissingHeader = "webhook-missing-header";
    public const string DuplicateHeader = "webhook-duplicate-header";
    public const string TooLarge = "webhook-too-large";
    public const string Unavailable = "webhook-unavailable";
    public const string EventNotFound = "webhook-event-not-found";

    /// <summary>Every code a refusal maps to is one of the constants above (<see cref="WebhookIngress.CodeOf"/>).</summary>
    public static IReadOnlyList<string> All { get; } =
        [SourceNotFound, SourceNotMatched, BadSignature, Stale, Malformed, MissingHeader, DuplicateHeader, TooLarge, Unavailable, EventNotFound];
}
