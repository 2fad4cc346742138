using Integrations.Api.Routing;

namespace Integrations.Api.Webhooks;

/// <summary>
/// The public ingress routes: entries of the route table (<see cref="ApiRoutes"/>). A delivery carries no caller's credential
/// — its signature is checked against its source's secrets by <see cref="Core.Webhooks.WebhookIngress"/>, which also audits
/// refusals — so the routes are public, like <see cref="OAuth.OAuthRoutes.Start"/>, and are not rate limited per caller
/// (a provider's burst of retries must get through; forgeries are refused before any write).
/// </summary>
public static class WebhookIngressRoutes
{
    public const string SourceParameter = "sourceId";

    public static ApiRoute Receive { get; } = new("ReceiveWebhook", "POST", "v1/webhooks/{" + SourceParameter + "}",
        "A provider's delivery to a webhook source: verified with the source's scheme and secrets, stored and enqueued before the 2xx; duplicates get 200 and are not handed on again.",
        RouteAccess.Public, AuditAction: null, ChangesState: false, RateLimitPolicies.None,
        RouteHandlers.Of<WebhookIngressEndpoints>((e, r, ct) => e.ReceiveAsync(r, ct)));

    public static ApiRoute ReceiveForProject { get; } = new("ReceiveProjectWebhook", "POST", "v1/projects/{projectId}/webhooks",
        "A delivery to a project: the source is picked by the scheme its headers show (unknown or ambiguous: 400), then as ReceiveWebhook.",
        RouteAccess.Public, AuditAction: null, ChangesState: false, RateLimitPolicies.None,
        RouteHandlers.Of<WebhookIngressEndpoints>((e, r, ct) => e.ReceiveForProjectAsync(r, ct)));

    public static IReadOnlyList<ApiRoute> All { get; } = [Receive, ReceiveForProject];
}
