using Integrations.Core.Audit;
using Integrations.Core.Common;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Integrations.Core.Vault;

/// <summary>
/// The retention purge (a timer job in both shells): deleted secrets whose <see cref="VaultOptions.SoftDeleteRetention"/>
/// has passed are removed for good — every version and sealed value — at most <see cref="VaultOptions.PurgeBatchSize"/>
/// per run, one instance at a time. Each purge is audited like an API change (an attempt first, then the outcome) in
/// the secret's project log, by <see cref="Actor"/>. Each secret is re-checked on the row it removes, so a secret
/// restored meanwhile is never purged.
/// </summary>
public sealed partial class SecretRetentionPurge(
    VaultService vault, AuditLog audit, IDistributedLock locks, IOptions<VaultOptions> options, ILogger<SecretRetentionPurge> logger)
{
    public const string ActorType = "System";

    /// <summary>Who the audit log names for the job's purges.</summary>
    public const string Actor = "job:PurgeDeletedSecrets";

    private const string Lock = "secret-retention-purge";

    /// <summary>Runs once; returns how many secrets were purged (0 when another instance holds the job's lock).</summary>
    /// <exception cref="AuditUnavailableException">An audit record could not be written: the run stops (fail closed), and the next run continues.</exception>
    public async Task<int> RunAsync(CancellationToken cancellationToken = default)
    {
        await using var held = await locks.TryAcquireAsync(Lock, cancellationToken).ConfigureAwait(false);
        if (held is null)
        {
            return 0;
        }

        using var whileHeld = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, held.Lost);
        var token = whileHeld.Token;

        // The candidates first (keys only, at most a batch), then the purges: no query stays open across the writes.
        var candidates = new List<SecretLocation>();
        await foreach (var location in vault.ListExpiredAsync(options.Value.PurgeBatchSize, token).ConfigureAwait(false))
        {
            candidates.Add(location);
        }

        var purged = 0;
        foreach (var location in candidates)
        {
            var requestId = Ids.New("job");
            var target = "secret/" + location.Name;
            await audit.WriteAsync(Event(location, AuditOutcomes.Attempt, 0, target, requestId), token).ConfigureAwait(false);
            var result = await vault.PurgeExpiredAsync(location, Actor, token).ConfigureAwait(false);
            var (outcome, status) = result.IsSuccess
                ? (AuditOutcomes.Success, 204)
                : result.Error.Kind == ErrorKind.NotFound ? (AuditOutcomes.NotFound, 404) : (AuditOutcomes.Conflict, 409);
            await audit.WriteAsync(Event(location, outcome, status, target, requestId), token).ConfigureAwait(false);
            if (result.IsSuccess)
            {
                purged++;
            }
            else
            {
                Log.Skipped(logger, location.OrganizationId, location.ProjectId, result.Error.Code);
            }
        }

        Log.Completed(logger, purged, candidates.Count);
        return purged;
    }

    private static AuditEvent Event(SecretLocation location, string outcome, int status, string target, string requestId) =>
        new(location.OrganizationId, location.ProjectId, AuditActions.SecretPurge, outcome, status, ActorType, Actor, target, RequestId: requestId);

    private static partial class Log
    {
        [LoggerMessage(EventId = 2201, Level = LogLevel.Information, Message = "Retention purge: {Purged} of {Candidates} deleted secrets past retention purged.")]
        public static partial void Completed(ILogger logger, int purged, int candidates);

        [LoggerMessage(EventId = 2202, Level = LogLevel.Information, Message = "Retention purge skipped a secret of project {OrganizationId}/{ProjectId}: {Reason}.")]
        public static partial void Skipped(ILogger logger, string organizationId, string projectId, string reason);
    }
}
