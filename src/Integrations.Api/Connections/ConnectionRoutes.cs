using Integrations.Api.Pipeline;
using Integrations.Api.Routing;
using Integrations.Core.Audit;
using Integrations.Core.Common;
using Integrations.Core.Connections;
using Integrations.Core.Identity;
using Microsoft.AspNetCore.Http;

namespace Integrations.Api.Connections;

/// <summary>The connection routes: entries of the route table (<see cref="ApiRoutes"/>).</summary>
public static class ConnectionRoutes
{
    /// <summary>The path parameter naming a connection (its id, <c>con_…</c>).</summary>
    public const string IdParameter = "connectionId";

    public const string Collection = "v1/projects/{projectId}/connections";

    public const string Item = Collection + "/{" + IdParameter + "}";

    public static ApiRoute Create { get; } = Route("CreateConnection", "POST", Collection,
        "Create a connection: type, secret_refs (names of vault secrets), provider (OAuth types), base URL, headers, timeout, retries, policy, end user.",
        Scopes.ConnectionsWrite, AuditActions.ConnectionCreate, true, (e, r, ct) => e.CreateAsync(r, ct), named: false) with { NamesItsTarget = true };

    public static ApiRoute List { get; } = Route("ListConnections", "GET", Collection, "List connections; end_user_id lists one end user's.",
        Scopes.ConnectionsRead, AuditActions.ConnectionList, false, (e, r, ct) => e.ListAsync(r, ct), named: false);

    public static ApiRoute Get { get; } = Route("GetConnection", "GET", Item, "A connection's configuration and status (never a secret value).",
        Scopes.ConnectionsRead, AuditActions.ConnectionRead, false, (e, r, ct) => e.GetAsync(r, ct));

    public static ApiRoute Patch { get; } = Route("PatchConnection", "PATCH", Item,
        "Change a connection's configuration (JSON merge patch, validated whole); enabled: false disables it.", Scopes.ConnectionsWrite,
        AuditActions.ConnectionPatch, true, (e, r, ct) => e.PatchAsync(r, ct));

    public static ApiRoute Delete { get; } = Route("DeleteConnection", "DELETE", Item,
        "Delete a connection (its tokens are revoked first; the response says how that went).", Scopes.ConnectionsWrite, AuditActions.ConnectionDelete, true,
        (e, r, ct) => e.DeleteAsync(r, ct));

    public static ApiRoute Status { get; } = Route("GetConnectionStatus", "GET", Item + "/status",
        "A connection's status: reason, token timing, last use, test and error (never a token).", Scopes.ConnectionsRead, AuditActions.ConnectionStatusRead, false,
        (e, r, ct) => e.GetStatusAsync(r, ct));

    public static IReadOnlyList<ApiRoute> All { get; } = [Create, List, Get, Patch, Delete, Status];

    /// <summary>The audit target of a connection; an ill-formed id is not echoed into the log.</summary>
    public static string Target(string? connectionId) => "connection/" + (Ids.IsValid(ConnectionService.IdPrefix, connectionId) ? connectionId : "(invalid id)");

    /// <summary>The attempt target of a create, before the connection has an id.</summary>
    public static string NameTarget(string? name) => "connection-name/" + (ConnectionRules.IsValidName(name) ? name : "(invalid name)");

    private static ApiRoute Route(
        string name, string method, string template, string summary, string scope, string action, bool changes,
        Func<ConnectionEndpoints, HubRequest, CancellationToken, Task<IResult>> handler, bool named = true) =>
        new(name, method, template, summary, RouteAccess.Project(scope), action, changes, RateLimitPolicies.Standard, RouteHandlers.Of(handler))
        {
            AuditTarget = named ? static values => Target(values[IdParameter]) : static _ => null,
        };
}
