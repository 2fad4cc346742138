namespace Integrations.Api.OutboundWebhooks;

/// <summary>Problem codes the endpoint routes answer with besides the endpoint service's own (<see cref="Core.OutboundWebhooks.WebhookEndpointErrors"/>).</summary>
public static class WebhookEndpointProblems
{
    public const string InvalidPatch = "invalid-webhook-endpoint-patch";
}
