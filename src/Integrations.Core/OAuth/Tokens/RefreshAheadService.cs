using Integrations.Core.Audit;
using Integrations.Core.Common;
using Integrations.Core.Connections;
using Integrations.Core.Connections.Proxy;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Integrations.Core.OAuth.Tokens;

/// <summary>
/// The refresh-ahead job (a timer in both shells): renews the tokens of OAuth connections whose <c>NextRefreshAt</c>
/// falls before the job's next run, so a caller never waits for a refresh. Reads <see cref="IRefreshDueIndex"/> oldest
/// first, at most <see cref="RefreshAheadOptions.RefreshAheadBatchSize"/> entries a run, one instance at a time (a
/// blob-lease lock). Each entry is checked against the connection as stored: a connection that is gone, no longer
/// OAuth, or whose due time moved loses its entry; one that needs a person (needs_reauth, revoked, disabled,
/// client_secret_expired, pending) loses it too and is not refreshed; one whose circuit is open keeps it and waits.
/// The refresh goes through <see cref="IConnectionTokenService.GetAsync"/> with <c>forceRefresh</c> (single-flight with
/// callers, and idempotent: the new token moves the entry). Each refresh is audited by <see cref="Actor"/> (type System).
/// </summary>
public sealed partial class RefreshAheadService(
    IRefreshDueIndex index, IConnectionStore connections, IConnectionTokenService tokens, ICircuitStateReader circuits, IDistributedLock locks, AuditLog audit,
    IOptions<RefreshAheadOptions> options, ILogger<RefreshAheadService> logger)
{
    public const string ActorType = "System";

    /// <summary>Who the audit log names for the job's refreshes.</summary>
    public const string Actor = "job:RefreshTokensAhead";

    private const string Lock = "oauth-refresh-ahead";

    /// <summary>What one run did.</summary>
    public sealed record Outcome(int Refreshed, int Failed, int Skipped, int Removed);

    /// <summary>Refreshes the connections due before <paramref name="until"/>; an empty outcome when another instance holds the job's lock.</summary>
    /// <exception cref="AuditUnavailableException">An audit record could not be written: the run stops (fail closed).</exception>
    public async Task<Outcome> RunAsync(DateTimeOffset until, CancellationToken cancellationToken = default)
    {
        await using var held = await locks.TryAcquireAsync(Lock, cancellationToken).ConfigureAwait(false);
        if (held is null)
        {
            return new Outcome(0, 0, 0, 0);
        }

        using var whileHeld = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, held.Lost);
        var token = whileHeld.Token;

        // Candidates first (a bounded list), then the refreshes: no query stays open across them.
        var due = new List<RefreshDue>();
        await foreach (var entry in index.ListDueAsync(until, options.Value.RefreshAheadBatchSize, token).ConfigureAwait(false))
        {
            due.Add(entry);
        }

        int refreshed = 0, failed = 0, skipped = 0, removed = 0;
        foreach (var entry in due)
        {
            var connection = await connections.GetAsync(entry.OrganizationId, entry.ProjectId, entry.ConnectionId, token).ConfigureAwait(false);
            switch (Decide(entry, connection))
            {
                case Decision.Remove:
                    await index.RemoveAsync(entry, token).ConfigureAwait(false);
                    removed++;
                    continue;
                case Decision.Moved:
                    // The connection's due time moved and this entry is stale: make sure the current one is indexed, drop this.
                    await index.ScheduleAsync(entry with { DueAt = connection!.State.NextRefreshAt!.Value }, entry.DueAt, token).ConfigureAwait(false);
                    removed++;
                    continue;
                case Decision.Wait:
                    skipped++;
                    continue;
            }

            var result = await tokens.GetAsync(connection!, forceRefresh: true, token).ConfigureAwait(false);
            var (outcome, status) = result.IsSuccess ? (AuditOutcomes.Success, 200) : (AuditOutcomes.Error, StatusOf(result.Error));
            await audit.WriteAsync(new AuditEvent(entry.OrganizationId, entry.ProjectId, AuditActions.ConnectionRefreshAhead, outcome, status, ActorType, Actor,
                "connection/" + entry.ConnectionId, RequestId: Ids.New("job")), token).ConfigureAwait(false);
            if (result.IsSuccess)
            {
                refreshed++;
            }
            else
            {
                // The token service has recorded the failure on the connection (refresh_failing, needs_reauth …); a
                // transient one keeps the entry, so the next run tries again.
                failed++;
                Log.RefreshFailed(logger, entry.ConnectionId, result.Error.Code);
            }
        }

        Log.Completed(logger, refreshed, failed, skipped, removed, due.Count);
        return new Outcome(refreshed, failed, skipped, removed);
    }

    private Decision Decide(RefreshDue entry, Connection? connection)
    {
        if (connection is null || !ConnectionTypes.IsOAuth(connection.Type) || connection.State.NextRefreshAt is null)
        {
            return Decision.Remove;
        }

        if (connection.State.NextRefreshAt.Value.UtcTicks != entry.DueAt.UtcTicks)
        {
            return Decision.Moved;
        }

        if (!connection.Enabled || connection.State.Status is ConnectionStatus.NeedsReauth or ConnectionStatus.Revoked or ConnectionStatus.Disabled
                or ConnectionStatus.ClientSecretExpired or ConnectionStatus.Pending)
        {
            // A person must act first; connecting again stores a new due time, and with it a new entry.
            return Decision.Remove;
        }

        return circuits.Read(connection.Id).State != CircuitPosition.Closed ? Decision.Wait : Decision.Refresh;
    }

    private static int StatusOf(HubError error) => error.Kind switch
    {
        ErrorKind.NotFound => 404,
        ErrorKind.Conflict => 409,
        ErrorKind.Unavailable => 503,
        _ => 500,
    };

    private enum Decision
    {
        Refresh,
        Remove,
        Moved,
        Wait,
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 8604, Level = LogLevel.Information,
            Message = "Refresh-ahead: {Refreshed} refreshed, {Failed} failed, {Skipped} waiting on an open circuit, {Removed} stale entries removed, of {Due} due.")]
        public static partial void Completed(ILogger logger, int refreshed, int failed, int skipped, int removed, int due);

        [LoggerMessage(EventId = 8605, Level = LogLevel.Warning, Message = "Refresh-ahead could not refresh connection {ConnectionId}: {Code}.")]
        public static partial void RefreshFailed(ILogger logger, string connectionId, string code);
    }
}
