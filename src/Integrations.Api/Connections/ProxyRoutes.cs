using Integrations.Api.Pipeline;
using Integrations.Api.Routing;
using Integrations.Core.Audit;
using Integrations.Core.Identity;
using Microsoft.AspNetCore.Http;

namespace Integrations.Api.Connections;

/// <summary>The proxy and test routes of a connection: entries of the route table (<see cref="ApiRoutes"/>).</summary>
public static class ProxyRoutes
{
    /// <summary>
    /// The proxy's route. The catch-all <c>{*path}</c> is only for routing: the handler reads the raw request target
    /// (the path still encoded as the caller sent it), never the decoded route value.
    /// </summary>
    public const string ProxyTemplate = ConnectionRoutes.Item + "/proxy/{*path}";

    /// <summary>
    /// Any method. A read as the pipeline sees it (one outcome record per call, nothing before it): a proxied call uses
    /// a credential but changes nothing of the hub's, and an attempt record per call would double the audit volume of
    /// the busiest route. The outcome record carries the upstream's status, and a policy denial names its rule.
    /// </summary>
    public static ApiRoute Proxy { get; } = Route("ProxyConnection", ApiRoute.AnyMethod, ProxyTemplate,
        "Send any request through the connection: forwarded below its base URL with its credential injected; the upstream's answer streams back with X-Hub-Attempts.",
        Scopes.ConnectionsProxy, AuditActions.ConnectionProxy, changes: false, (e, r, ct) => e.ProxyAsync(r, ct));

    /// <summary>
    /// connections:write, not read: a test sends a request with the connection's credential to the provider and
    /// records the result on the connection (<c>last_tested_at</c>), which a read-only key (a dashboard) should not be
    /// able to cause.
    /// </summary>
    public static ApiRoute Test { get; } = Route("TestConnection", "POST", ConnectionRoutes.Item + "/test",
        "Send the connection's test request (its test method and path) and report {success, status_code, response_time_ms, message}; 10 per minute per connection.",
        Scopes.ConnectionsWrite, AuditActions.ConnectionTest, changes: true, (e, r, ct) => e.TestAsync(r, ct));

    public static IReadOnlyList<ApiRoute> All { get; } = [Proxy, Test];

    private static ApiRoute Route(
        string name, string method, string template, string summary, string scope, string action, bool changes,
        Func<ProxyEndpoints, HubRequest, CancellationToken, Task<IResult>> handler) =>
        new(name, method, template, summary, RouteAccess.Project(scope), action, changes, RateLimitPolicies.Standard, RouteHandlers.Of(handler))
        {
            AuditTarget = static values => ConnectionRoutes.Target(values[ConnectionRoutes.IdParameter]),
        };
}
