namespace Integrations.Api.OutboundWebhooks;

/// <summary>Problem codes the message and delivery routes answer with besides the message service's own (<see cref="Core.OutboundWebhooks.OutboundMessageErrors"/>).</summary>
public static class MessageProblems
{
    public const string InvalidMessage = "invalid-message";
    public const string InvalidRecoverSince = "invalid-recover-since";
    public const string StatsRangeTooWide = "webhook-endpoint-stats-range-too-wide";
    public const string StatsUnavailable = "webhook-endpoint-stats-unavailable";
}
