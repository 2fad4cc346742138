using System.Text.Json;
using Integrations.Api.Http;
using Integrations.Api.Pipeline;
using Integrations.Core.Common;
using Integrations.Core.Connections;
using Integrations.Core.Connections.Proxy;
using Integrations.Core.Connections.Usage;
using Microsoft.AspNetCore.Http;

namespace Integrations.Api.Connections;

/// <summary>
/// Connections of a project: create, read, list (by end user), patch (JSON merge patch of the configuration), delete,
/// and the status. Every response carries names of vault secrets, never a value.
/// </summary>
public sealed class ConnectionEndpoints(ConnectionService connections, ConnectionUsage usage, ICircuitStateReader circuits, TimeProvider time)
{
    /// <summary>The top-level members a PATCH may name: the configuration's fields, snake_case.</summary>
    private static readonly HashSet<string> PatchMembers = typeof(ConnectionInput).GetProperties()
        .Select(p => JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Name)).ToHashSet(StringComparer.Ordinal);

    public async Task<IResult> CreateAsync(HubRequest request, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync<ConnectionInput>(request.Request).ConfigureAwait(false);
        if (!body.IsSuccess)
        {
            return Problems.From(body.Error);
        }

        if (!await request.BeginChangeAsync(ConnectionRoutes.NameTarget(body.Value.Name)).ConfigureAwait(false))
        {
            return ApiProblems.AuditUnavailable();
        }

        var created = await connections.CreateAsync(request.Project, body.Value, request.Caller.Id, cancellationToken).ConfigureAwait(false);
        if (!created.IsSuccess)
        {
            return Problems.From(created.Error);
        }

        // The outcome record names what was created by its id, as every later record of it will.
        request.Audit.Target = ConnectionRoutes.Target(created.Value.Id);
        return Responses.Json(ConnectionResponse.From(created.Value), StatusCodes.Status201Created);
    }

    public async Task<IResult> GetAsync(HubRequest request, CancellationToken cancellationToken)
    {
        var connection = await connections.GetAsync(request.Project, Id(request), cancellationToken).ConfigureAwait(false);
        return connection.IsSuccess ? Responses.Json(ConnectionResponse.From(connection.Value)) : Problems.From(connection.Error);
    }

    public async Task<IResult> GetStatusAsync(HubRequest request, CancellationToken cancellationToken)
    {
        var connection = await connections.GetAsync(request.Project, Id(request), cancellationToken).ConfigureAwait(false);
        if (!connection.IsSuccess)
        {
            return Problems.From(connection.Error);
        }

        var id = connection.Value.Id;
        var circuit = circuits.Read(id);
        var (calls, errors) = await usage.Last24HoursAsync(connection.Value, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        return Responses.Json(ConnectionStatusResponse.From(connection.Value) with
        {
            Circuit = new CircuitResponse(CircuitResponse.NameOf(circuit.State), circuit.OpenUntil),
            Last24h = new CallCountsResponse(calls, errors),
            RateLimit = usage.Headroom(id) is { } headroom ? new RateLimitResponse(headroom.Limit, headroom.Remaining, headroom.ResetAt) : null,
        });
    }

    public async Task<IResult> ListAsync(HubRequest request, CancellationToken cancellationToken)
    {
        var page = Query.Page(request.Request);
        if (!page.IsSuccess)
        {
            return Problems.From(page.Error);
        }

        var endUser = request.Request.Query["end_user_id"].ToString();
        var listed = await connections.ListAsync(request.Project, new ConnectionQuery(page.Value, endUser.Length == 0 ? null : endUser), cancellationToken)
            .ConfigureAwait(false);
        return listed.IsSuccess ? Responses.Page(listed.Value, ConnectionResponse.From) : Problems.From(listed.Error);
    }

    /// <summary>
    /// PATCH: a JSON merge patch (RFC 7396) of the configuration — a member left out is unchanged, <c>null</c> removes it
    /// (back to its default), objects such as <c>default_headers</c> merge key by key, arrays are replaced. The result is
    /// validated whole, like a create. <c>type</c> cannot change; <c>enabled</c> moves the status.
    /// </summary>
    public async Task<IResult> PatchAsync(HubRequest request, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadElementAsync(request.Request).ConfigureAwait(false);
        if (!body.IsSuccess)
        {
            return Problems.From(body.Error);
        }

        if (body.Value.ValueKind != JsonValueKind.Object)
        {
            return Problems.From(HubError.Invalid(ApiProblems.MalformedJson, "The body must be a JSON object (a merge patch of the connection)."));
        }

        foreach (var member in body.Value.EnumerateObject())
        {
            if (!PatchMembers.Contains(member.Name))
            {
                // The member name is the caller's input: not echoed.
                return Problems.From(HubError.Invalid(ConnectionProblems.InvalidPatch, "PATCH names a member that is not part of a connection's configuration."));
            }
        }

        var patched = await connections.PatchAsync(request.Project, Id(request), current => JsonMergePatch.Apply(current, body.Value, "a connection"), request.Caller.Id, cancellationToken)
            .ConfigureAwait(false);
        return patched.IsSuccess ? Responses.Json(ConnectionResponse.From(patched.Value)) : Problems.From(patched.Error);
    }

    public async Task<IResult> DeleteAsync(HubRequest request, CancellationToken cancellationToken)
    {
        var deleted = await connections.DeleteAsync(request.Project, Id(request), request.Caller.Id, cancellationToken).ConfigureAwait(false);
        return deleted.IsSuccess
            ? Responses.Json(new DeletedConnectionResponse(deleted.Value.Connection.Id, deleted.Value.Connection.Name, deleted.Value.Revocation))
            : Problems.From(deleted.Error);
    }

    private static string Id(HubRequest request) => request.Values.Required(ConnectionRoutes.IdParameter);
}
