using Integrations.Core.Audit;
using Integrations.Core.Common;
using Integrations.Core.Events;
using Microsoft.Extensions.Logging;

namespace Integrations.Core.Connections;

/// <summary>
/// The one way a connection's status changes. Each change is checked against <see cref="ConnectionStatusMachine"/>,
/// written to the connection's state row under that row's ETag (re-read and re-checked on a conflict, so concurrent
/// changes are ordered, never lost, and a configuration edit never conflicts with one), audited (an attempt before,
/// the outcome after: fail closed) and appended to the project's outbox as the transition's event.
/// </summary>
/// <remarks>
/// The state row and the outbox are separate writes: if the process dies between them, the status has changed and
/// its event is missing (the audit log still has the attempt). The reverse — an event for a change that did not
/// happen — cannot occur, as the event is written only after the state.
/// </remarks>
public sealed partial class ConnectionStateChanges(IConnectionStore store, EventWriter events, AuditLog audit, TimeProvider time, ILogger<ConnectionStateChanges> logger,
    ConnectionCache? cache = null)
{
    public const int MaxReasonLength = 1024;

    private const int MaxAttempts = 16;

    /// <summary>
    /// Moves the connection to <paramref name="to"/> with <paramref name="reason"/>, applying <paramref name="update"/>
    /// (token timing, granted scopes, last error …) to the state in the same write. When it already is in
    /// <paramref name="to"/>, only the update and reason are written (no audit, no event). A move the state machine
    /// does not allow is refused with <see cref="ConnectionErrors.InvalidStatusTransition"/> (409) and changes nothing.
    /// </summary>
    /// <exception cref="AuditUnavailableException">The audit attempt could not be written: nothing changed.</exception>
    public async Task<Result<ConnectionState>> ChangeStatusAsync(
        string organizationId, string projectId, string connectionId, ConnectionStatus to, string? reason, ChangeActor actor,
        Func<ConnectionState, ConnectionState>? update = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var target = "connection/" + connectionId;
        var requestId = Ids.New("chg");
        var attempted = false;
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var connection = await LoadAsync(organizationId, projectId, connectionId, cancellationToken).ConfigureAwait(false);
            if (connection is null)
            {
                return await FinishAsync(attempted, HubError.NotFound("connection"), organizationId, projectId, target, actor, requestId).ConfigureAwait(false);
            }

            var current = connection.State;
            var from = current.Status;
            var next = (update?.Invoke(current) ?? current) with { Status = to, StatusReason = Bound(reason ?? (from == to ? current.StatusReason : null)), ETag = current.ETag };
            if (from == to)
            {
                // Not a transition: the details only, as UpdateStateAsync would.
                switch (await WriteStateAsync(organizationId, projectId, connectionId, next, cancellationToken).ConfigureAwait(false))
                {
                    case WriteOutcome.Written:
                        return await FinishAsync(attempted, next, organizationId, projectId, target, actor, requestId).ConfigureAwait(false);
                    case WriteOutcome.NotFound:
                        return await FinishAsync(attempted, HubError.NotFound("connection"), organizationId, projectId, target, actor, requestId).ConfigureAwait(false);
                    default:
                        continue;
                }
            }

            if (ConnectionStatusMachine.EventFor(from, to) is not { } eventType)
            {
                var refused = new HubError(ErrorKind.Conflict, ConnectionErrors.InvalidStatusTransition,
                    $"A connection cannot move from {ConnectionStatuses.NameOf(from)} to {ConnectionStatuses.NameOf(to)}.", "status");
                return await FinishAsync(attempted, refused, organizationId, projectId, target, actor, requestId).ConfigureAwait(false);
            }

            if (!attempted)
            {
                await audit.WriteAsync(Audit(organizationId, projectId, AuditOutcomes.Attempt, 0, target, actor, requestId), cancellationToken).ConfigureAwait(false);
                attempted = true;
            }

            switch (await WriteStateAsync(organizationId, projectId, connectionId, next, cancellationToken).ConfigureAwait(false))
            {
                case WriteOutcome.Written:
                    var data = new Dictionary<string, string>(StringComparer.Ordinal)
                    {
                        ["connection_id"] = connectionId,
                        ["name"] = connection.Name,
                        ["status"] = ConnectionStatuses.NameOf(to),
                        ["previous_status"] = ConnectionStatuses.NameOf(from),
                    };
                    if (next.StatusReason is { } statusReason)
                    {
                        data["reason"] = statusReason;
                    }

                    if (connection.EndUser is { } endUser)
                    {
                        data["end_user_id"] = endUser.Id;
                    }

                    await events.AppendAsync(organizationId, projectId, eventType, target, data, cancellationToken).ConfigureAwait(false);
                    Log.StatusChanged(logger, organizationId, projectId, connectionId, from, to);
                    return await FinishAsync(attempted, next, organizationId, projectId, target, actor, requestId).ConfigureAwait(false);
                case WriteOutcome.NotFound:
                    return await FinishAsync(attempted, HubError.NotFound("connection"), organizationId, projectId, target, actor, requestId).ConfigureAwait(false);
                default:
                    // Someone else changed the state since it was read: read again and re-check the move from there.
                    continue;
            }
        }

        return await FinishAsync(attempted, HubError.Conflict(ConnectionErrors.ConnectionContention, "The connection's state is being changed by many callers at once; retry."),
            organizationId, projectId, target, actor, requestId).ConfigureAwait(false);
    }

    /// <summary>
    /// Changes details of the state that are not its status (<c>last_used_at</c>, <c>expires_at</c>, <c>last_error</c>
    /// …), under the state row's ETag with re-reads on conflict. Not audited and no event: these change on the hot path.
    /// </summary>
    /// <exception cref="InvalidOperationException"><paramref name="update"/> changed the status: use <see cref="ChangeStatusAsync"/>.</exception>
    public async Task<Result<ConnectionState>> UpdateStateAsync(
        string organizationId, string projectId, string connectionId, Func<ConnectionState, ConnectionState> update, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var connection = await LoadAsync(organizationId, projectId, connectionId, cancellationToken).ConfigureAwait(false);
            if (connection is null)
            {
                return HubError.NotFound("connection");
            }

            var next = update(connection.State) with { ETag = connection.State.ETag };
            if (next.Status != connection.State.Status)
            {
                throw new InvalidOperationException("A status changes only through ChangeStatusAsync (audited, with its event).");
            }

            next = next with { StatusReason = Bound(next.StatusReason), LastError = Bound(next.LastError) };
            switch (await WriteStateAsync(organizationId, projectId, connectionId, next, cancellationToken).ConfigureAwait(false))
            {
                case WriteOutcome.Written:
                    return next;
                case WriteOutcome.NotFound:
                    return HubError.NotFound("connection");
                default:
                    continue;
            }
        }

        return HubError.Conflict(ConnectionErrors.ConnectionContention, "The connection's state is being changed by many callers at once; retry.");
    }

    /// <summary>
    /// Writes the state row, then forgets this instance's cached copy of the connection (whatever the outcome: a write
    /// that failed may still have landed), so a disable, revoke or needs_reauth is seen by the next call here.
    /// </summary>
    private async Task<WriteOutcome> WriteStateAsync(string organizationId, string projectId, string connectionId, ConnectionState next, CancellationToken cancellationToken)
    {
        try
        {
            return await store.TryUpdateStateAsync(organizationId, projectId, connectionId, next, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            cache?.Invalidate(organizationId, projectId, connectionId);
        }
    }

    private async Task<Connection?> LoadAsync(string organizationId, string projectId, string connectionId, CancellationToken cancellationToken) =>
        Ids.IsValid("org", organizationId) && Ids.IsValid("prj", projectId) && Ids.IsValid(ConnectionService.IdPrefix, connectionId)
            ? await store.GetAsync(organizationId, projectId, connectionId, cancellationToken).ConfigureAwait(false)
            : null;

    /// <summary>Writes the outcome record when an attempt was recorded (a refusal before any attempt needs none: nothing was tried).</summary>
    private async Task<Result<ConnectionState>> FinishAsync(
        bool attempted, Result<ConnectionState> result, string organizationId, string projectId, string target, ChangeActor actor, string requestId)
    {
        if (attempted)
        {
            var (outcome, status) = result.IsSuccess ? (AuditOutcomes.Success, 200)
                : result.Error.Kind == ErrorKind.NotFound ? (AuditOutcomes.NotFound, 404) : (AuditOutcomes.Conflict, 409);
            // The change stands whatever happens to this record (as for an API change whose outcome record is lost).
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30), time);
            await audit.WriteAsync(Audit(organizationId, projectId, outcome, status, target, actor, requestId), timeout.Token).ConfigureAwait(false);
        }

        return result;
    }

    private static AuditEvent Audit(string organizationId, string projectId, string outcome, int status, string target, ChangeActor actor, string requestId) =>
        new(organizationId, projectId, AuditActions.ConnectionStatusChange, outcome, status, actor.Type, actor.Id, target, RequestId: requestId);

    private static string? Bound(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var printable = PrintableText.Escape(text);
        return printable.Length <= MaxReasonLength ? printable : printable[..MaxReasonLength];
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 8501, Level = LogLevel.Information, Message = "Connection {OrganizationId}/{ProjectId}/{ConnectionId} moved from {From} to {To}.")]
        public static partial void StatusChanged(ILogger logger, string organizationId, string projectId, string connectionId, ConnectionStatus from, ConnectionStatus to);
    }
}
