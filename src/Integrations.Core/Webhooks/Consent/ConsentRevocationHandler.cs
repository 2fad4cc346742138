using Integrations.Core.Connections;
using Integrations.Core.OAuth;
using Integrations.Core.OAuth.Tokens;
using Integrations.Core.Vault;
using Microsoft.Extensions.Logging;

namespace Integrations.Core.Webhooks.Consent;

/// <summary>
/// Moves connections to <c>revoked</c> when a verified webhook says their user or workspace withdrew consent
/// (<see cref="ConsentEvents"/>). A connection is revoked when it is in the event's project, made from a provider whose template
/// the event concerns, and its <see cref="ConnectionState.ExternalIds"/> satisfy one of the event's matches — through
/// <see cref="ConnectionStateChanges"/>, so the change is audited (actor <c>Webhook</c>, <c>webhook:{sourceId}</c>) and the
/// activity event <c>connection.revoked</c> is written; then its stored tokens, dead at the provider, are forgotten.
/// </summary>
/// <remarks>
/// Idempotent: a connection already <c>revoked</c> is left alone (nothing written), and so is one whose tokens were obtained or
/// refreshed after the event was received — a replay of an old event through the events API must not undo a later reconnect.
/// Two copies handled at the same moment can both pass that check; the second then finds the status already <c>revoked</c>
/// under the state row's ETag, which <see cref="ConnectionStateChanges"/> treats as no transition (no audit, no event).
/// <c>pending</c> connections hold nothing to revoke and <c>disabled</c> ones stay disabled (the status machine keeps a
/// disabled connection disabled); both are skipped, and logged.
/// </remarks>
public sealed partial class ConsentRevocationHandler(
    IConnectionAccountLookup lookup,
    IConnectionStore connections,
    IProviderStore providers,
    ConnectionStateChanges changes,
    VaultService vault,
    ILogger<ConsentRevocationHandler> logger) : IReceivedWebhookHandler
{
    /// <summary>The audit log's actor type for changes a provider's webhook caused.</summary>
    public const string ActorType = "Webhook";

    /// <summary>At most this many connections are looked at per match (a bound on one event's work; reaching it is logged).</summary>
    public const int MaxConnectionsPerMatch = 1000;

    public async Task HandleAsync(WebhookEvent webhookEvent, ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(webhookEvent);
        if (ConsentEvents.Read(webhookEvent, body.Span) is not { } revocation)
        {
            return;
        }

        var (org, project) = (webhookEvent.OrganizationId, webhookEvent.ProjectId);
        var candidates = new HashSet<string>(StringComparer.Ordinal);
        foreach (var match in revocation.Matches)
        {
            var first = match.Ids[0];
            var found = await lookup.FindAsync(org, project, first.Key, first.Value, MaxConnectionsPerMatch, cancellationToken).ConfigureAwait(false);
            if (found.Count >= MaxConnectionsPerMatch)
            {
                Log.LimitReached(logger, webhookEvent.Id, MaxConnectionsPerMatch);
            }

            candidates.UnionWith(found);
        }

        var actor = new ChangeActor(ActorType, "webhook:" + webhookEvent.SourceId);
        var providerTemplates = new Dictionary<string, string?>(StringComparer.Ordinal);
        var revoked = 0;
        foreach (var connectionId in candidates.Order(StringComparer.Ordinal))
        {
            var connection = await connections.GetAsync(org, project, connectionId, cancellationToken).ConfigureAwait(false);
            // The lookup is a hint: the id is checked again on the connection as read (MAC-verified configuration), with the rest of the match.
            if (connection?.ProviderId is not { } providerId || !ConnectionTypes.IsOAuth(connection.Type)
                || !revocation.Matches.Any(m => m.IsMatchedBy(connection.State.ExternalIds)))
            {
                continue;
            }

            if (!providerTemplates.TryGetValue(providerId, out var template))
            {
                template = (await providers.GetAsync(org, project, providerId, cancellationToken).ConfigureAwait(false))?.TemplateId;
                providerTemplates[providerId] = template;
            }

            if (template is null || !revocation.Templates.Contains(template, StringComparer.Ordinal))
            {
                continue;
            }

            if (await RevokeAsync(webhookEvent, revocation, connection, actor, cancellationToken).ConfigureAwait(false))
            {
                revoked++;
            }
        }

        Log.Handled(logger, webhookEvent.Id, revocation.EventName, candidates.Count, revoked);
    }

    private async Task<bool> RevokeAsync(WebhookEvent webhookEvent, ConsentRevocation revocation, Connection connection, ChangeActor actor, CancellationToken cancellationToken)
    {
        var state = connection.State;
        if (state.Status is ConnectionStatus.Revoked or ConnectionStatus.Pending or ConnectionStatus.Disabled
            || state.LastRefreshedAt > webhookEvent.ReceivedAt)
        {
            Log.Skipped(logger, connection.Id, webhookEvent.Id, state.Status, state.LastRefreshedAt > webhookEvent.ReceivedAt);
            return false;
        }

        var changed = await changes.ChangeStatusAsync(connection.OrganizationId, connection.ProjectId, connection.Id, ConnectionStatus.Revoked, revocation.Reason, actor,
            s => s with { GrantedScopes = [], ExpiresAt = null, NextRefreshAt = null }, cancellationToken).ConfigureAwait(false);
        if (!changed.IsSuccess)
        {
            Log.NotRevoked(logger, connection.Id, webhookEvent.Id, changed.Error.Code);
            return false;
        }

        Log.Revoked(logger, connection.Id, webhookEvent.Id, revocation.EventName);
        await ForgetTokensAsync(connection, actor, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// The provider has revoked the tokens: the hub forgets its copy, so the token service answers "not connected" rather than
    /// hand out a dead token (as after a revocation through the API). A failure is logged: the status change stands.
    /// </summary>
    private async Task ForgetTokensAsync(Connection connection, ChangeActor actor, CancellationToken cancellationToken)
    {
        var location = TokenSecrets.LocationOf(connection);
        var deleted = await vault.DeleteAsync(location, actor.Id, cancellationToken).ConfigureAwait(false);
        if (deleted.IsSuccess || deleted.Error.Kind == Common.ErrorKind.NotFound)
        {
            var purged = await vault.PurgeAsync(location, actor.Id, cancellationToken).ConfigureAwait(false);
            if (purged.IsSuccess || purged.Error.Kind == Common.ErrorKind.NotFound)
            {
                return;
            }

            Log.TokensKept(logger, connection.Id, purged.Error.Code);
            return;
        }

        Log.TokensKept(logger, connection.Id, deleted.Error.Code);
    }

    // Event ids 9150-9199: consent revocation. Ids and codes only: never a token, a signature or a body.
    private static partial class Log
    {
        [LoggerMessage(EventId = 9150, Level = LogLevel.Information, Message = "Connection {ConnectionId} revoked by webhook event {EventId} ({ProviderEvent}).")]
        public static partial void Revoked(ILogger logger, string connectionId, string eventId, string providerEvent);

        [LoggerMessage(EventId = 9151, Level = LogLevel.Information, Message = "Consent revocation {EventId} ({ProviderEvent}): {Candidates} candidate connections, {Revoked} revoked.")]
        public static partial void Handled(ILogger logger, string eventId, string providerEvent, int candidates, int revoked);

        [LoggerMessage(EventId = 9152, Level = LogLevel.Information, Message = "Connection {ConnectionId} left as it is for webhook event {EventId}: status {Status}, reconnected since {ReconnectedSince}.")]
        public static partial void Skipped(ILogger logger, string connectionId, string eventId, ConnectionStatus status, bool reconnectedSince);

        [LoggerMessage(EventId = 9153, Level = LogLevel.Warning, Message = "Connection {ConnectionId} could not be revoked for webhook event {EventId}: {Code}.")]
        public static partial void NotRevoked(ILogger logger, string connectionId, string eventId, string code);

        [LoggerMessage(EventId = 9154, Level = LogLevel.Warning, Message = "Webhook event {EventId} names more than {Limit} connections for one account: only the first {Limit} were looked at.")]
        public static partial void LimitReached(ILogger logger, string eventId, int limit);

        [LoggerMessage(EventId = 9155, Level = LogLevel.Warning, Message = "The tokens of revoked connection {ConnectionId} could not be forgotten: {Code}.")]
        public static partial void TokensKept(ILogger logger, string connectionId, string code);
    }
}
