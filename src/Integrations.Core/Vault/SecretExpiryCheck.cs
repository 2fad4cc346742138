using System.Globalization;
using Integrations.Core.Common;
using Integrations.Core.Events;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Integrations.Core.Vault;

/// <summary>
/// The daily secret expiry check (a timer in both shells, one instance at a time under a blob-lease lock): for every
/// live secret with an <see cref="SecretRecord.ExpiresAt"/> or a <see cref="SecretRecord.RotateEvery"/> (due at the
/// latest version's time plus the period), <c>secret.expiring</c> 30, 7 and 1 days before and <c>secret.expired</c>
/// after (<see cref="ExpiryThresholds"/>), through <see cref="EventWriter"/> to the project's outbox. Exactly once per
/// threshold and version: the event id is derived from the secret, its version, the kind, the due time and the
/// threshold, and the outbox keeps an id once, so a second run or instance changes nothing; a new version (a rotation)
/// or a new expiry starts afresh.
/// </summary>
public sealed partial class SecretExpiryCheck(
    ISecretStore store, EventWriter events, IDistributedLock locks, TimeProvider time, IOptions<VaultOptions> options, ILogger<SecretExpiryCheck> logger)
{
    private const string Lock = "secret-expiry-check";

    /// <summary>What one run did: events appended (or found already appended) this run.</summary>
    public sealed record Outcome(int Checked, int Notices);

    public async Task<Outcome> RunAsync(CancellationToken cancellationToken = default)
    {
        await using var held = await locks.TryAcquireAsync(Lock, cancellationToken).ConfigureAwait(false);
        if (held is null)
        {
            return new Outcome(0, 0);
        }

        using var whileHeld = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, held.Lost);
        var token = whileHeld.Token;
        var candidates = new List<SecretRecord>();
        await foreach (var secret in store.ListWithExpiryAsync(options.Value.ExpiryCheckBatchSize, token).ConfigureAwait(false))
        {
            candidates.Add(secret);
        }

        var now = time.GetUtcNow();
        var notices = 0;
        foreach (var secret in candidates)
        {
            if (secret.ExpiresAt is { } expiresAt && ExpiryThresholds.Current(expiresAt, now) is { } days)
            {
                await NotifyAsync(secret, "expires_at", expiresAt, days, token).ConfigureAwait(false);
                notices++;
            }

            if (secret.RotateEvery is { } every)
            {
                // The latest version's time (a patch changes UpdatedAt, not the value): one point read.
                var version = await store.GetVersionAsync(secret.Location, secret.CurrentVersion, token).ConfigureAwait(false);
                if (version is not null && ExpiryThresholds.Current(version.CreatedAt + every, now) is { } rotationDays)
                {
                    await NotifyAsync(secret, "rotate_every", version.CreatedAt + every, rotationDays, token).ConfigureAwait(false);
                    notices++;
                }
            }
        }

        Log.Completed(logger, candidates.Count, notices);
        return new Outcome(candidates.Count, notices);
    }

    private Task NotifyAsync(SecretRecord secret, string reason, DateTimeOffset dueAt, int days, CancellationToken cancellationToken)
    {
        var type = days == 0 ? HubEventTypes.SecretExpired : HubEventTypes.SecretExpiring;
        var at = dueAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
        var data = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["id"] = secret.SecretId,
            ["name"] = secret.Location.Name,
            ["version"] = secret.CurrentVersion.ToString(CultureInfo.InvariantCulture),
            ["due_at"] = at,
            ["reason"] = reason,
        };
        if (days > 0)
        {
            data["days_before"] = days.ToString(CultureInfo.InvariantCulture);
        }

        var hubEvent = events.Create(secret.Location.OrganizationId, secret.Location.ProjectId, type, "secret/" + secret.Location.Name, data);
        return events.AppendAsync(DeterministicEventIds.WithIdFor(hubEvent, type, secret.Location.OrganizationId, secret.Location.ProjectId, secret.SecretId,
            data["version"], reason, at, days.ToString(CultureInfo.InvariantCulture)), cancellationToken);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 8621, Level = LogLevel.Information, Message = "Secret expiry check: {Checked} secrets with an expiry or rotation period, {Notices} notices due.")]
        public static partial void Completed(ILogger logger, int @checked, int notices);
    }
}
