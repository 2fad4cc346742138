using Integrations.Api.Pipeline;
using Integrations.Api.Routing;
using Integrations.Core.Audit;
using Integrations.Core.Identity;
using Microsoft.AspNetCore.Http;

namespace Integrations.Api.Connections;

/// <summary>
/// The token routes of a connection: hand out a valid access token, revoke one connection's tokens, revoke every
/// connection of an end user. Entries of the route table (<see cref="ApiRoutes"/>). <c>connections/revoke</c> is a
/// literal segment where <c>connections/{connectionId}</c> takes an id: ASP.NET Core's and the Functions host's routing
/// both prefer the literal, and no POST route takes <c>connections/{connectionId}</c> alone, so the two cannot collide.
/// </summary>
public static class ConnectionTokenRoutes
{
    public static ApiRoute Token { get; } = Route("GetConnectionToken", "POST", ConnectionRoutes.Item + "/token",
        "A valid access token of an OAuth connection, refreshed first when it is within its skew of expiry (force_refresh: always). Audited like a reveal; never cached.",
        Scopes.ConnectionsToken, AuditActions.ConnectionToken, false, (e, r, ct) => e.TokenAsync(r, ct)) with
    {
        AuditTarget = static values => ConnectionRoutes.Target(values[ConnectionRoutes.IdParameter]),
    };

    public static ApiRoute Revoke { get; } = Route("RevokeConnection", "POST", ConnectionRoutes.Item + "/revoke",
        "Revoke the connection's tokens at the provider (RFC 7009) and forget them; the configuration stays, so it can be connected again.",
        Scopes.ConnectionsWrite, AuditActions.ConnectionRevoke, true, (e, r, ct) => e.RevokeAsync(r, ct)) with
    {
        AuditTarget = static values => ConnectionRoutes.Target(values[ConnectionRoutes.IdParameter]),
    };

    public static ApiRoute RevokeEndUser { get; } = Route("RevokeEndUserConnections", "POST", ConnectionRoutes.Collection + "/revoke",
        "Revoke the tokens of every connection of one end user (end_user_id), at most " + ConnectionTokenEndpoints.MaxRevocationsPerRequest
        + " per request; the response lists each connection and its outcome.",
        Scopes.ConnectionsWrite, AuditActions.ConnectionRevokeEndUser, true, (e, r, ct) => e.RevokeEndUserAsync(r, ct)) with
    {
        NamesItsTarget = true,
    };

    public static IReadOnlyList<ApiRoute> All { get; } = [Token, Revoke, RevokeEndUser];

    private static ApiRoute Route(
        string name, string method, string template, string summary, string scope, string action, bool changes,
        Func<ConnectionTokenEndpoints, HubRequest, CancellationToken, Task<IResult>> handler) =>
        new(name, method, template, summary, RouteAccess.Project(scope), action, changes, RateLimitPolicies.Standard, RouteHandlers.Of(handler));
}
