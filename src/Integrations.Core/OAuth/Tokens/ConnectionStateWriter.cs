using Integrations.Core.Common;
using Integrations.Core.Connections;

namespace Integrations.Core.OAuth.Tokens;

/// <summary>
/// The token service's state changes, made through <see cref="ConnectionStateChanges"/> — the one way a connection's
/// status changes (checked against the status machine, audited, its event appended).
/// </summary>
public sealed class ConnectionStateWriter(IConnectionStore store, ConnectionStateChanges changes) : IConnectionStateWriter
{
    public async Task<Result<ConnectionState>> ChangeAsync(Connection connection, Func<ConnectionState, ConnectionState> change, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(actor);
        var current = (await store.GetAsync(connection.OrganizationId, connection.ProjectId, connection.Id, cancellationToken).ConfigureAwait(false))?.State;
        if (current is null)
        {
            return HubError.NotFound("connection");
        }

        var next = change(current);
        if (ReferenceEquals(next, current))
        {
            return current;
        }

        // The change is applied again to the state as read under the ETag, so a concurrent change is never lost.
        return await changes.ChangeStatusAsync(connection.OrganizationId, connection.ProjectId, connection.Id, next.Status, next.StatusReason,
            ActorOf(actor), change, cancellationToken).ConfigureAwait(false);
    }

    private static ChangeActor ActorOf(string actor) =>
        actor.StartsWith("system:", StringComparison.Ordinal) || actor.StartsWith("job:", StringComparison.Ordinal) ? new ChangeActor("System", actor) : new ChangeActor("ApiKey", actor);
}
