using Integrations.Api.Activity;
using Integrations.Api.Admin;
using Integrations.Api.AdminPage;
using Integrations.Api.ApiKeys;
using Integrations.Api.Audit;
using Integrations.Api.Connections;
using Integrations.Api.Health;
using Integrations.Api.Identity;
using Integrations.Api.OAuth;
using Integrations.Api.Organizations;
using Integrations.Api.OutboundWebhooks;
using Integrations.Api.Projects;
using Integrations.Api.Providers;
using Integrations.Api.Secrets;
using Integrations.Api.Sends;
using Integrations.Api.Webhooks;

namespace Integrations.Api.Routing;

/// <summary>
/// The route table: every route of the hub, each declared once in its capability's <c>…Routes</c> class. Both shells
/// expose exactly this set — the Server maps it, the Functions app has one function per entry, and a test compares the
/// app's generated <c>functions.metadata</c> with it. A new capability adds its list here.
/// </summary>
public static class ApiRoutes
{
    public static IReadOnlyList<ApiRoute> All { get; } =
    [
        .. HealthRoutes.All,
        .. JwksRoutes.All,
        .. AuthRoutes.All,
        .. SocialRoutes.All,
        .. OrganizationRoutes.All,
        .. MemberRoutes.All, .. InvitationRoutes.All,
        .. ApiKeyRoutes.All,
        .. ProjectRoutes.All,
        .. SecretRoutes.All,
        .. ProviderRoutes.All,
        .. AuditRoutes.All,
        .. AdminRoutes.All,
        .. RecoveryRoutes.All, .. AdminUserRoutes.All,
        .. OAuthRoutes.All,

        .. ConnectionRoutes.All,
        .. ProxyRoutes.All,
        .. ConnectRoutes.All,
        .. ConnectionTokenRoutes.All,
        .. ActivityRoutes.All,
        .. WebhookIngressRoutes.All,
        .. WebhookEventRoutes.All,
        .. WebhookSourceRoutes.All,
        .. SendRoutes.All,
        .. WebhookEndpointRoutes.All,
        .. MessageRoutes.All,
        .. DeliveryRoutes.All,
        .. AdminPageRoutes.All,
    ];

    private static readonly Dictionary<string, ApiRoute> ByName = All.ToDictionary(r => r.Name, StringComparer.Ordinal);

    /// <summary>
    /// The route named <paramref name="name"/>. The Functions app looks its routes up by the name of the function that
    /// runs, so a function cannot hand its request to another route's access rules and audit action.
    /// </summary>
    public static ApiRoute Named(string name) =>
        ByName.TryGetValue(name, out var route) ? route : throw new InvalidOperationException($"No route is named '{name}'.");
}
