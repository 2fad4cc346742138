namespace Integrations.Api.Webhooks;

/// <summary>Problem codes the webhook-source routes answer with besides the source service's own (<see cref="Core.Webhooks.WebhookErrors"/>).</summary>
public static class WebhookSourceProblems
{
    public const string InvalidPatch = "invalid-webhook-source-patch";
    public const string StatsRangeTooWide = "webhook-stats-range-too-wide";
    public const string StatsUnavailable = "webhook-stats-unavailable";
}
