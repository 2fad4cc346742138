using Integrations.Core.Common;
using Integrations.Core.Connections;
using Microsoft.Extensions.Logging;

namespace Integrations.Core.OAuth.Tokens;

/// <summary>
/// The token service's state changes, made through <see cref="ConnectionStateChanges"/> — the one way a connection's
/// status changes (checked against the status machine, audited, its event appended). When a change moves the token's
/// <c>NextRefreshAt</c>, the <see cref="IRefreshDueIndex"/> entry moves with it (after the state is written; a failed
/// index write is logged, and costs only the refresh-ahead of that token: callers still refresh on demand).
/// </summary>
public sealed partial class ConnectionStateWriter(IConnectionStore store, ConnectionStateChanges changes, IRefreshDueIndex refreshIndex, ILogger<ConnectionStateWriter> logger)
    : IConnectionStateWriter
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
        var changed = await changes.ChangeStatusAsync(connection.OrganizationId, connection.ProjectId, connection.Id, next.Status, next.StatusReason,
            ActorOf(actor), change, cancellationToken).ConfigureAwait(false);
        if (changed.IsSuccess && changed.Value.NextRefreshAt != current.NextRefreshAt)
        {
            await IndexAsync(connection, current.NextRefreshAt, changed.Value.NextRefreshAt, cancellationToken).ConfigureAwait(false);
        }

        return changed;
    }

    private async Task IndexAsync(Connection connection, DateTimeOffset? previous, DateTimeOffset? next, CancellationToken cancellationToken)
    {
        try
        {
            if (next is { } dueAt)
            {
                await refreshIndex.ScheduleAsync(new RefreshDue(connection.OrganizationId, connection.ProjectId, connection.Id, dueAt), previous, cancellationToken)
                    .ConfigureAwait(false);
            }
            else if (previous is { } was)
            {
                await refreshIndex.RemoveAsync(new RefreshDue(connection.OrganizationId, connection.ProjectId, connection.Id, was), cancellationToken).ConfigureAwait(false);
            }
        }
#pragma warning disable CA1031 // The state is written; the index is a hint the job repairs (a stale entry is skipped), so its failure must not fail the refresh.
        catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
        {
            Log.IndexNotWritten(logger, ex, connection.Id);
        }
    }

    private static ChangeActor ActorOf(string actor) =>
        actor.StartsWith("system:", StringComparison.Ordinal) || actor.StartsWith("job:", StringComparison.Ordinal) ? new ChangeActor("System", actor) : new ChangeActor("ApiKey", actor);

    private static partial class Log
    {
        [LoggerMessage(EventId = 8603, Level = LogLevel.Warning, Message = "The refresh-ahead index entry of connection {ConnectionId} could not be written; its token is refreshed on demand.")]
        public static partial void IndexNotWritten(ILogger logger, Exception exception, string connectionId);
    }
}
