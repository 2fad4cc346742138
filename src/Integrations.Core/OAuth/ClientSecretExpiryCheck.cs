using System.Globalization;
using Integrations.Core.Common;
using Integrations.Core.Connections;
using Integrations.Core.Events;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Integrations.Core.OAuth;

/// <summary>
/// The daily check of providers' client secrets (a timer in both shells, one instance at a time under a blob-lease
/// lock): <c>provider.client_secret_expiring</c> 30, 7 and 1 days before <see cref="OAuthProvider.ClientSecretExpiresAt"/>
/// (see <see cref="ExpiryThresholds"/>), each once — its event id is derived from the provider, the expiry and the
/// threshold, and the outbox keeps an id once — and after the expiry every connection of the provider moves to
/// <c>client_secret_expired</c> through <see cref="ConnectionStateChanges"/> (audited as <see cref="Actor"/>, type System,
/// with its <c>connection.client_secret_expired</c> event). Connections already there, disabled or revoked are left as they are.
/// </summary>
public sealed partial class ClientSecretExpiryCheck(
    IProviderStore providers, IConnectionStore connections, ConnectionStateChanges changes, EventWriter events, IDistributedLock locks, TimeProvider time,
    IOptions<ClientSecretExpiryOptions> options, ILogger<ClientSecretExpiryCheck> logger)
{
    public const string JobName = "CheckClientSecretExpiry";

    /// <summary>Who the audit log names for the status changes.</summary>
    public const string Actor = "job:" + JobName;

    private const string Lock = "provider-client-secret-expiry";

    /// <summary>What one run did.</summary>
    public sealed record Outcome(int Warned, int ConnectionsExpired);

    /// <summary>Runs once; an empty outcome when another instance holds the lock.</summary>
    public async Task<Outcome> RunAsync(CancellationToken cancellationToken = default)
    {
        await using var held = await locks.TryAcquireAsync(Lock, cancellationToken).ConfigureAwait(false);
        if (held is null)
        {
            return new Outcome(0, 0);
        }

        using var whileHeld = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, held.Lost);
        var token = whileHeld.Token;
        var now = time.GetUtcNow();
        var found = new List<OAuthProvider>();
        await foreach (var provider in providers.ListClientSecretsExpiringAsync(now + TimeSpan.FromDays(ExpiryThresholds.Days[0]), options.Value.ClientSecretExpiryBatchSize, token)
            .ConfigureAwait(false))
        {
            found.Add(provider);
        }

        int warned = 0, expired = 0;
        foreach (var provider in found)
        {
            var expiresAt = provider.ClientSecretExpiresAt!.Value;
            switch (ExpiryThresholds.Current(expiresAt, now))
            {
                case 0:
                    expired += await ExpireConnectionsAsync(provider, expiresAt, token).ConfigureAwait(false);
                    break;
                case { } days:
                    await WarnAsync(provider, expiresAt, days, token).ConfigureAwait(false);
                    warned++;
                    break;
            }
        }

        Log.Completed(logger, found.Count, warned, expired);
        return new Outcome(warned, expired);
    }

    private Task WarnAsync(OAuthProvider provider, DateTimeOffset expiresAt, int days, CancellationToken cancellationToken)
    {
        var at = expiresAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
        var hubEvent = events.Create(provider.OrganizationId, provider.ProjectId, HubEventTypes.ProviderClientSecretExpiring, "provider/" + provider.Id,
            new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["provider_id"] = provider.Id,
                ["provider_name"] = provider.Name,
                ["expires_at"] = at,
                ["days_before"] = days.ToString(CultureInfo.InvariantCulture),
            });
        // One id per provider, expiry and threshold: a second run (or instance) appends the same event, kept once.
        return events.AppendAsync(DeterministicEventIds.WithIdFor(hubEvent, HubEventTypes.ProviderClientSecretExpiring,
            provider.OrganizationId, provider.ProjectId, provider.Id, at, days.ToString(CultureInfo.InvariantCulture)), cancellationToken);
    }

    private async Task<int> ExpireConnectionsAsync(OAuthProvider provider, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        var reason = $"The client secret of provider {provider.Name} expired at {expiresAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)}: "
            + "set a new one on the provider, then connect again.";
        var moved = 0;
        for (var page = 1; ; page++)
        {
            var list = await connections.ListAsync(provider.OrganizationId, provider.ProjectId, new ConnectionQuery(new PageRequest(page, PageRequest.MaxPerPage)), cancellationToken)
                .ConfigureAwait(false);
            foreach (var connection in list.Items)
            {
                if (!string.Equals(connection.ProviderId, provider.Id, StringComparison.Ordinal)
                    || connection.State.Status is ConnectionStatus.ClientSecretExpired or ConnectionStatus.Disabled or ConnectionStatus.Revoked)
                {
                    continue;
                }

                var changed = await changes.ChangeStatusAsync(provider.OrganizationId, provider.ProjectId, connection.Id, ConnectionStatus.ClientSecretExpired, reason,
                    ChangeActor.Job(JobName), cancellationToken: cancellationToken).ConfigureAwait(false);
                if (changed.IsSuccess)
                {
                    moved++;
                }
                else
                {
                    // Gone meanwhile, or moved to a status the machine does not leave for this one: nothing to do.
                    Log.NotMoved(logger, connection.Id, changed.Error.Code);
                }
            }

            if ((long)page * PageRequest.MaxPerPage >= list.Total || list.Items.Count == 0)
            {
                return moved;
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 8611, Level = LogLevel.Information,
            Message = "Client secret expiry check: {Providers} providers expiring within 30 days, {Warned} warned, {Expired} connections moved to client_secret_expired.")]
        public static partial void Completed(ILogger logger, int providers, int warned, int expired);

        [LoggerMessage(EventId = 8612, Level = LogLevel.Information, Message = "Connection {ConnectionId} was not moved to client_secret_expired: {Code}.")]
        public static partial void NotMoved(ILogger logger, string connectionId, string code);
    }
}
